package dev.softmaxlab.experiments.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NumberTokensTest {

    @Test
    void decimalsAndHexFloats() {
        assertEquals(1000.0, NumberTokens.parse("1000"));
        assertEquals(-1000.0, NumberTokens.parse(" -1000 "));
        assertEquals(-1.5e3, NumberTokens.parse("-1.5e3"));
        assertEquals(0.25, NumberTokens.parse(".25"));
        assertEquals(3.0, NumberTokens.parse("+3."));
        assertEquals(Math.scalb(1.0, -24), NumberTokens.parse("0x1p-24"));
        assertEquals(Double.MIN_VALUE, NumberTokens.parse("4.9e-324"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "nan", "+NaN"})
    void nanNames(String token) {
        assertTrue(Double.isNaN(NumberTokens.parse(token)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Infinity", "inf", "+inf", "INF", "+Infinity"})
    void positiveInfinityNames(String token) {
        assertEquals(Double.POSITIVE_INFINITY, NumberTokens.parse(token));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-Infinity", "-inf", "-INF"})
    void negativeInfinityNames(String token) {
        assertEquals(Double.NEGATIVE_INFINITY, NumberTokens.parse(token));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "", "1,5", "1d", "1f", "0x10", "--1", "1e", "e5", "Infinityy", "1 2"})
    void nonNumbersAreRefusedNamingTheToken(String token) {
        NumberFormatException e = assertThrows(NumberFormatException.class, () -> NumberTokens.parse(token));
        assertTrue(e.getMessage().startsWith("'" + token + "' is not a number"), e.getMessage());
    }

    @Test
    void finiteLiteralBeyondDoubleRangeIsRefusedNotReadAsInfinity() {
        NumberFormatException e = assertThrows(NumberFormatException.class, () -> NumberTokens.parse("1e400"));
        assertTrue(e.getMessage().contains("beyond the double range"), e.getMessage());
    }
}
