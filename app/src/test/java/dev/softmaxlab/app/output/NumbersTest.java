package dev.softmaxlab.app.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.softmaxlab.core.precision.Precision;
import org.junit.jupiter.api.Test;

class NumbersTest {

    @Test
    void nonFiniteValuesPrintByName() {
        assertEquals("NaN", Numbers.exact(Double.NaN));
        assertEquals("Infinity", Numbers.exact(Double.POSITIVE_INFINITY));
        assertEquals("-Infinity", Numbers.exact(Double.NEGATIVE_INFINITY));
        assertEquals("NaN", Numbers.significant(Double.NaN, 4));
        assertEquals("-Infinity", Numbers.significant(Double.NEGATIVE_INFINITY, 4));
        assertEquals("Infinity", Numbers.shortest(Double.POSITIVE_INFINITY, Precision.FP16));
    }

    @Test
    void significantRoundsAndUsesDoubleToStringStyle() {
        assertEquals("3.142", Numbers.significant(Math.PI, 4));
        assertEquals("2000.0", Numbers.significant(2000.0, 6));
        assertEquals("1.5E-9", Numbers.significant(1.5e-9, 6));
        assertEquals("-1.235E8", Numbers.significant(-123456789.0, 4));
        assertEquals("0.001", Numbers.significant(0.001, 3));
        assertEquals("0.0", Numbers.significant(0.0, 3));
    }

    @Test
    void exactRoundTripsWithTheShortestDigits() {
        double v = 0.1 + 0.2;
        assertEquals("0.30000000000000004", Numbers.exact(v));
        // JDK 17's Double.toString prints 1e23 as 9.999999999999999E22 and 2e23 as 1.9999999999999998E23
        assertEquals("0.002", Numbers.exact(2e-3));
        assertEquals("1.0E23", Numbers.exact(1e23));
        assertEquals("2.0E23", Numbers.exact(2e23));
        assertEquals("2000.0", Numbers.exact(2000));
        assertEquals("1.0E-7", Numbers.exact(1e-7));
        assertEquals("-0.0", Numbers.exact(-0.0));
    }

    @Test
    void shortestInFp32IsTheFloatsOwnText() {
        double v = (float) 0.1; // 0.100000001490116... as a double
        assertEquals("0.1", Numbers.shortest(v, Precision.FP32));
        assertEquals("0.10000000149011612", Numbers.shortest(v, Precision.FP64));
    }

    @Test
    void shortestInTheHalfFormats() {
        // fp16(0.1) = 0.0999755859375 and bf16(0.1) = 0.10009765625: one digit reads back to each
        assertEquals("0.1", Numbers.shortest(0.0999755859375, Precision.FP16));
        assertEquals("0.1", Numbers.shortest(0.10009765625, Precision.BF16));
        // fp16's largest finite, 65504: fp16 values near it are 32 apart, so 65500 reads back to it, 66000 does not
        assertEquals("65500.0", Numbers.shortest(65504, Precision.FP16));
        // 2^-24, fp16's smallest subnormal, 5.96e-8: 6e-8 rounds to it (neighbours 0 and 2^-23 are farther)
        assertEquals("6.0E-8", Numbers.shortest(Math.scalb(1.0, -24), Precision.FP16));
        assertEquals("-2.0", Numbers.shortest(-2.0, Precision.BF16));
    }
}
