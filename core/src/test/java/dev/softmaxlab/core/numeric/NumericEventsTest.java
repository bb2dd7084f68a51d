package dev.softmaxlab.core.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class NumericEventsTest {

    @Test
    void countsNonFiniteLossAndGradientBySign() {
        NumericEvents e = new NumericEvents();
        e.countLoss(new double[] {1, Double.NaN, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY}, 0, 4);
        e.countGradient(new double[] {Double.NEGATIVE_INFINITY, 0, Double.NaN, Double.NaN, 9}, 0, 4);
        assertEquals(1, e.lossNan());
        assertEquals(2, e.lossPosInf());
        assertEquals(0, e.lossNegInf());
        assertEquals(2, e.gradientNan());
        assertEquals(1, e.gradientNegInf());
        assertEquals(6, e.totalNonFinite());
    }

    @Test
    void firstNonFiniteKeepsTheFirstAndMergeKeepsOwn() {
        NumericEvents a = new NumericEvents();
        NumericEvents b = new NumericEvents();
        b.recordNonFinite("exp", 3, 1);
        b.recordNonFinite("log", 4, 2);
        assertEquals(new FirstNonFinite("exp", 3, 1), b.firstNonFinite());
        b.add(NumericEvent.EXP_OVERFLOW, 5);
        a.increment(NumericEvent.EXP_OVERFLOW);
        a.merge(b);
        assertEquals(6, a.count(NumericEvent.EXP_OVERFLOW));
        assertEquals(new FirstNonFinite("exp", 3, 1), a.firstNonFinite());
        a.recordNonFinite("div", 0, 0);
        assertEquals("exp", a.firstNonFinite().op());
        NumericEvents copy = a.copy();
        a.reset();
        assertEquals(0, a.count(NumericEvent.EXP_OVERFLOW));
        assertNull(a.firstNonFinite());
        assertEquals(6, copy.count(NumericEvent.EXP_OVERFLOW));
        assertEquals("exp", copy.firstNonFinite().op());
    }
}
