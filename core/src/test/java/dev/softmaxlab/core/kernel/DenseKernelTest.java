package dev.softmaxlab.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The dense fused kernels on hand cases: what they accept, with values from mpmath (40 digits), and what they hand
 * back to the reference. Their bits against the reference are held by the generic KernelVariantTest.
 */
class DenseKernelTest {

    // z = [1, 2, 3]: lse - 3 = log(e^-2 + e^-1 + 1) and p = softmax(z), by mpmath at 40 digits
    private static final double LOG_S = 0.407605964444380304482919904545070451473;
    private static final double[] P = {0.09003057317038045799802210148449179786792905,
        0.2447284710547976524729596183407627971992976, 0.6652409557748218895290182801747454049327633};

    @Test
    void aOneHotRowIsAcceptedWithTheLossAndGradientOfPMinusT() {
        double[] z = {1, 2, 3};
        double[] t = {0, 1, 0};
        for (FusedDenseRowKernel k : new FusedDenseRowKernel[] {ScalarFusedDenseFp64.INSTANCE,
            ScalarFusedDenseFp32.INSTANCE}) {
            double tolerance = k == ScalarFusedDenseFp64.INSTANCE ? 4e-16 : 3e-7;
            double[] p = new double[3];
            double[] g = new double[3];
            double loss = k.finishedDenseRow(z, t, 0, 3, p, g, 4.0, new double[LaneSums.SCRATCH]);
            // loss = lse - z_1 = (3 + log s) - 2
            assertEquals(1 + LOG_S, loss, tolerance * 2);
            for (int j = 0; j < 3; j++) {
                assertEquals(P[j], p[j], tolerance, "p " + j);
                assertEquals((P[j] - t[j]) / 4, g[j], tolerance, "grad " + j + " divided by D = 4");
            }
        }
    }

    @Test
    void aRowWhoseTargetEqualsItsSoftmaxCancelsAndGoesBack() {
        double[] z = {1, 2, 3};
        for (FusedDenseRowKernel k : new FusedDenseRowKernel[] {ScalarFusedDenseFp64.INSTANCE,
            ScalarFusedDenseFp32.INSTANCE}) {
            double[] p = new double[3];
            double loss = k.finishedDenseRow(z, P.clone(), 0, 3, p, new double[3], 1.0,
                    new double[LaneSums.SCRATCH]);
            assertTrue(Double.isNaN(loss), "p_j - t_j cancels: the exact reference takes it");
        }
    }

    @Test
    void aSubnormalTargetOrLogitGoesBack() {
        double[] sub = {1, 2, 3};
        double[] t = {Double.MIN_VALUE, 1 - Double.MIN_VALUE, 0};
        double[] sc = new double[LaneSums.SCRATCH];
        assertTrue(Double.isNaN(ScalarFusedDenseFp64.INSTANCE.finishedDenseRow(sub, t, 0, 3, null, new double[3],
                1.0, sc)));
        double[] tf = {1e-40, 1 - 1e-40, 0}; // 1e-40 is a float subnormal
        assertTrue(Double.isNaN(ScalarFusedDenseFp32.INSTANCE.finishedDenseRow(sub, tf, 0, 3, null, new double[3],
                1.0, sc)));
        assertTrue(Double.isNaN(ScalarFusedDenseFp64.INSTANCE.finishedDenseRow(new double[] {1, Double.NaN, 3},
                new double[] {0, 0, 1}, 0, 3, null, new double[3], 1.0, sc)));
    }
}
