package dev.softmaxlab.core.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import org.junit.jupiter.api.Test;

/** Each event is judged in the compute format, and only finite operands can make a first non-finite op. */
class CountedArithmeticTest {

    private final NumericEvents events = new NumericEvents();

    private CountedArithmetic ops(Precision p) {
        return new CountedArithmetic(PrecisionSpec.of(p), events);
    }

    @Test
    void expOverflowThresholdsPerFormat() {
        assertEquals(Double.POSITIVE_INFINITY, ops(Precision.FP16).exp(11.1, 0, 0));
        assertEquals(59872.0, ops(Precision.FP16).exp(11.0, 0, 1));
        assertEquals(Double.POSITIVE_INFINITY, ops(Precision.FP32).exp(88.73, 0, 2));
        assertTrue(Double.isFinite(ops(Precision.FP32).exp(88.72, 0, 3)));
        assertTrue(Double.isFinite(ops(Precision.BF16).exp(88.0, 0, 4)));
        assertEquals(Double.POSITIVE_INFINITY, ops(Precision.BF16).exp(88.8, 0, 5));
        assertEquals(Double.POSITIVE_INFINITY, ops(Precision.FP64).exp(709.79, 0, 6));
        assertTrue(Double.isFinite(ops(Precision.FP64).exp(709.78, 0, 7)));
        assertEquals(4, events.count(NumericEvent.EXP_OVERFLOW));
        assertEquals(new FirstNonFinite("exp", 0, 0), events.firstNonFinite());
    }

    @Test
    void expUnderflowAndSubnormalAreJudgedInTheComputeFormat() {
        assertEquals(0.0, ops(Precision.FP16).exp(-20, 1, 0));
        assertEquals(1, events.count(NumericEvent.EXP_UNDERFLOW));
        assertTrue(ops(Precision.FP32).exp(-20, 1, 0) > 0);
        assertEquals(1, events.count(NumericEvent.EXP_UNDERFLOW));
        ops(Precision.FP16).exp(-12, 1, 0); // 6.1e-6 < 2^-14: subnormal in fp16
        assertEquals(1, events.count(NumericEvent.SUBNORMAL));
        ops(Precision.FP64).exp(Double.NEGATIVE_INFINITY, 1, 0); // not a finite input: no underflow event
        assertEquals(1, events.count(NumericEvent.EXP_UNDERFLOW));
        assertNull(events.firstNonFinite());
    }

    @Test
    void divisionEvents() {
        CountedArithmetic o = ops(Precision.FP64);
        assertTrue(Double.isNaN(o.div(0.0, 0.0, 2, 1)));
        assertEquals(Double.POSITIVE_INFINITY, o.div(1.0, 0.0, 2, 2));
        assertTrue(Double.isNaN(o.div(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 2, 3)));
        assertEquals(2, events.count(NumericEvent.DIV_BY_ZERO));
        assertEquals(1, events.count(NumericEvent.INF_OVER_INF));
        assertEquals(new FirstNonFinite("div", 2, 1), events.firstNonFinite());
    }

    @Test
    void infinityArithmeticEvents() {
        CountedArithmetic o = ops(Precision.FP32);
        double inf = Double.POSITIVE_INFINITY;
        assertTrue(Double.isNaN(o.mul(0.0, inf, 0, 0)));
        assertTrue(Double.isNaN(o.sub(inf, inf, 0, 0)));
        assertTrue(Double.isNaN(o.add(-inf, inf, 0, 0)));
        assertEquals(inf, o.add(inf, inf, 0, 0));
        assertEquals(1, events.count(NumericEvent.ZERO_TIMES_INF));
        assertEquals(2, events.count(NumericEvent.INF_MINUS_INF));
        assertNull(events.firstNonFinite(), "no op turned finite operands into a non-finite result");
        assertEquals(Double.NEGATIVE_INFINITY, o.log(0.0, 5, 6));
        assertEquals(1, events.count(NumericEvent.LOG_OF_ZERO));
        assertEquals(new FirstNonFinite("log", 5, 6), events.firstNonFinite());
    }

    @Test
    void inputRoundingThatOverflowsIsAnOp() {
        assertEquals(Double.POSITIVE_INFINITY, ops(Precision.FP16).roundInput(1e5, 3, 4));
        assertEquals(new FirstNonFinite("roundInput", 3, 4), events.firstNonFinite());
    }

    @Test
    void sumOverflowOfFiniteTermsIsTheSumsFault() {
        double[] big = {60000, 60000};
        assertEquals(Double.POSITIVE_INFINITY, ops(Precision.FP16).sum(big, 0, 2, 7, -1));
        assertEquals(new FirstNonFinite("sum", 7, -1), events.firstNonFinite());
        NumericEvents other = new NumericEvents();
        new CountedArithmetic(PrecisionSpec.of(Precision.FP16), other)
                .sum(new double[] {1, Double.POSITIVE_INFINITY}, 0, 2, 0, -1);
        assertNull(other.firstNonFinite());
    }

    @Test
    void expOfDifferenceIsPreciseInFp64() {
        // 40.3 - 1.23e-4 is inexact in double; the recovered error keeps exp within an ulp of the true value
        double a = 1.234e-4;
        double b = 40.3;
        double viaRounded = Math.exp(a - b);
        double precise = ops(Precision.FP64).expOfDifference(a, b, 0, 0);
        // reference: exp(a - b) = exp(a) * exp(-b), each factor close, checked in BigDecimal
        java.math.BigDecimal exact = new java.math.BigDecimal(a).subtract(new java.math.BigDecimal(b));
        double d = a - b;
        double delta = exact.subtract(new java.math.BigDecimal(d)).doubleValue();
        assertTrue(delta != 0.0, "the test needs an inexact difference");
        double expected = viaRounded * (1 + delta);
        assertTrue(Math.abs(precise - expected) <= Math.ulp(expected), precise + " vs " + expected);
    }
}
