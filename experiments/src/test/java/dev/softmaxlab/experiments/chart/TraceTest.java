package dev.softmaxlab.experiments.chart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TraceTest {

    private static Series s(double... y) {
        double[] x = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            x[i] = 10 * (i + 1);
        }
        return new Series("fused@fp32", "fused", "fp32", x, y);
    }

    @Test
    void aLineEndsAtItsLastFinitePointWithAMarkNamingWhatCameNext() {
        Trace t = Trace.of(s(1, 2, Double.NaN, Double.NaN), false);
        assertArrayEquals(new double[] {1, 2, Double.NaN, Double.NaN}, t.y());
        assertEquals(List.of(new Trace.End(20, 2, 30, "NaN")), t.ends());
        assertEquals(30, t.firstNonFiniteX());
        assertEquals(" — NaN from step 30", t.legendSuffix(Axis.linear("step (updates)")));
    }

    @Test
    void everyReturnToFiniteStartsANewPieceAndEveryBreakIsMarked() {
        Trace t = Trace.of(s(1, Double.POSITIVE_INFINITY, 3, Double.NEGATIVE_INFINITY), false);
        assertEquals(List.of(new Trace.End(10, 1, 20, "+∞"), new Trace.End(30, 3, 40, "−∞")), t.ends());
        assertEquals("+∞", t.firstNonFiniteWhat());
    }

    @Test
    void aSeriesNonFiniteFromItsFirstPointHasNoLineAndSaysSo() {
        Trace t = Trace.of(s(Double.NaN, Double.NaN), false);
        assertFalse(t.anyDrawable());
        assertTrue(t.ends().isEmpty());
        assertEquals(" — NaN from step 10 on: no line to draw", t.legendSuffix(Axis.linear("step (updates)")));
    }

    @Test
    void zerosOnALogAxisAreGapsThatAreCountedNotEnds() {
        Trace t = Trace.of(s(0.5, 0, 0.25), true);
        assertArrayEquals(new double[] {0.5, Double.NaN, 0.25}, t.y());
        assertEquals(1, t.notDrawable());
        assertTrue(t.ends().isEmpty());
        assertFalse(t.hasNonFinite());
        assertEquals("", t.legendSuffix(Axis.log("x")));
    }

    @Test
    void onALinearAxisZeroIsAnOrdinaryValue() {
        Trace t = Trace.of(s(0.5, 0, 0.25), false);
        assertArrayEquals(new double[] {0.5, 0, 0.25}, t.y());
        assertEquals(0, t.notDrawable());
    }
}
