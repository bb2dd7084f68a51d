package dev.softmaxlab.core.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.precision.Precision;
import org.junit.jupiter.api.Test;

class ErrorMetricsTest {

    @Test
    void scalarErrors() {
        assertEquals(0.5, ErrorMetrics.absoluteError(2.5, 3.0));
        assertEquals(0.25, ErrorMetrics.relativeError(1.5, 2.0));
        assertEquals(Double.POSITIVE_INFINITY, ErrorMetrics.relativeError(1e-300, 0.0));
        assertEquals(0.0, ErrorMetrics.relativeError(0.0, 0.0));
        assertEquals(0.0, ErrorMetrics.absoluteError(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY));
        assertTrue(Double.isNaN(ErrorMetrics.absoluteError(Double.NaN, 1.0)));
        assertTrue(Double.isNaN(ErrorMetrics.relativeError(Double.POSITIVE_INFINITY, 1.0)));
        assertTrue(Double.isNaN(ErrorMetrics.ulpError(1.0, Double.NEGATIVE_INFINITY, Precision.FP32)));
    }

    @Test
    void ulpErrorIsInTheGivenFormat() {
        assertEquals(1.0, ErrorMetrics.ulpError(1 + Math.ulp(1.0), 1.0, Precision.FP64));
        assertEquals(2.0, ErrorMetrics.ulpError(1 + Math.scalb(1.0, -9), 1.0, Precision.FP16));
        assertEquals(1.0, ErrorMetrics.ulpError(Math.nextUp(1.0f), 1.0, Precision.FP32));
        // the unit is the ulp of the reference rounded to the format: 0.5 means as good as correct rounding
        assertEquals(0.5, ErrorMetrics.ulpError(1.0, 1 + Math.scalb(1.0, -11), Precision.FP16));
    }

    @Test
    void vectorErrors() {
        double[] v = {0, 1, 2, 3};
        double[] r = {9, 1, 2.5, 2};
        assertEquals(1.0, ErrorMetrics.maxAbsError(v, r, 1, 3));
        assertEquals(1.0, ErrorMetrics.cosineSimilarity(new double[] {1, 2}, new double[] {2, 4}, 0, 2), 1e-15);
        assertEquals(-1.0, ErrorMetrics.cosineSimilarity(new double[] {1, 2}, new double[] {-1, -2}, 0, 2), 1e-15);
        assertEquals(0.0, ErrorMetrics.cosineSimilarity(new double[] {1, 0}, new double[] {0, 3}, 0, 2), 1e-15);
        assertEquals(1.0, ErrorMetrics.cosineSimilarity(new double[] {0, 0}, new double[] {0, 0}, 0, 2));
        assertEquals(0.0, ErrorMetrics.cosineSimilarity(new double[] {0, 0}, new double[] {0, 1}, 0, 2));
        // tiny and huge vectors do not under- or overflow
        assertEquals(1.0, ErrorMetrics.cosineSimilarity(new double[] {1e-300, 1e-300}, new double[] {1e300, 1e300}, 0, 2),
                1e-15);
        assertTrue(Double.isNaN(ErrorMetrics.cosineSimilarity(new double[] {Double.NaN, 0}, new double[] {1, 0}, 0, 2)));
        assertTrue(Double.isNaN(ErrorMetrics.maxAbsError(new double[] {Double.NaN}, new double[] {1}, 0, 1)));
    }
}
