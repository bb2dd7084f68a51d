package dev.softmaxlab.experiments.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UserTextTest {

    @Test
    void shortPlainValuesAreQuotedAsGiven() {
        assertEquals("'abc'", UserText.quote("abc"));
        assertEquals("'é ∑ 😀'", UserText.quote("é ∑ 😀"));
    }

    @Test
    void controlCharactersAreEscapedNotPrinted() {
        assertEquals("'a\\u001b[31mb\\r\\nc\\u0000'", UserText.quote("a\u001b[31mb\r\nc\u0000"));
        // a right-to-left override would reorder what follows it on the terminal
        assertEquals("'x\\u202ey'", UserText.quote("x\u202Ey"));
    }

    @Test
    void longValuesAreCutToSixtyCharactersAndSayTheirLength() {
        String q = UserText.quote("x".repeat(5_000_000));
        assertEquals("'" + "x".repeat(60) + "'... (5000000 characters)", q);
    }

    @Test
    void aWholeLineIsBoundedAndKeptOnOneLine() {
        String line = UserText.line("bad: " + "y".repeat(10_000) + "\nsecond");
        assertTrue(line.length() < UserText.MAX_LINE_CHARS + 40, line.length() + "");
        assertTrue(line.endsWith("(message cut)"));
        assertEquals("a\\nb", UserText.line("a\nb"));
    }
}
