package dev.softmaxlab.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both providers over the same rows: the same bits in p, grad and the loss, and the same verdict on which rows are
 * clean. Also the run-time choice: the vector provider runs only on a JDK where it was measured fast.
 */
class KernelProviderTest {

    private static final KernelProvider VECTOR = KernelProvider.vector().orElseThrow(
            () -> new AssertionError("the tests run with --add-modules jdk.incubator.vector (see core/pom.xml)"));

    @Test
    void theChoiceFollowsTheMeasuredJdkVersions() {
        boolean fast = Runtime.version().feature() >= KernelProvider.VECTOR_FAST_FROM;
        assertEquals(fast ? "vector" : "scalar", KernelProvider.getInstance().name());
        assertTrue(KernelProvider.choice().startsWith(fast ? "vector kernels: " : "scalar kernels: "),
                KernelProvider.choice());
        assertEquals("scalar", KernelProvider.scalar().name());
        assertEquals("vector", VECTOR.name());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void scalarAndVectorRowKernelsAgreeBitForBit(boolean fp64) {
        FusedSparseRowKernel scalar = fp64 ? KernelProvider.scalar().fusedFp64() : KernelProvider.scalar().fusedFp32();
        FusedSparseRowKernel vector = fp64 ? VECTOR.fusedFp64() : VECTOR.fusedFp32();
        SplittableRandom r = new SplittableRandom(fp64 ? 11 : 12);
        double[] scratch = new double[LaneSums.SCRATCH];
        int refused = 0;
        for (int trial = 0; trial < 3000; trial++) {
            int classes = r.nextInt(4) == 0 ? 1 + r.nextInt(2000) : 1 + r.nextInt(40);
            double scale = new double[] {1, 10, 60, 120, 800}[r.nextInt(5)];
            double[] z = new double[classes + 3];
            int base = r.nextInt(4); // rows need not start at 0 or on a vector boundary
            for (int j = 0; j < classes; j++) {
                z[base + j] = scale * (2 * r.nextDouble() - 1);
            }
            if (r.nextInt(10) == 0) {
                z[base + r.nextInt(classes)] = r.nextBoolean() ? Double.NaN : 1e-310;
            }
            int label = r.nextInt(classes);
            double[] p1 = new double[z.length];
            double[] g1 = new double[z.length];
            double[] p2 = new double[z.length];
            double[] g2 = new double[z.length];
            double a = scalar.sparseRow(z, base, classes, label, p1, g1, scratch);
            double b = vector.sparseRow(z, base, classes, label, p2, g2, scratch);
            same(a, b, "loss, trial " + trial);
            if (a != a) {
                refused++;
                continue; // the row goes to the reference; its outputs here are scratch
            }
            for (int j = base; j < base + classes; j++) {
                same(p1[j], p2[j], "p[" + j + "], trial " + trial);
                same(g1[j], g2[j], "grad[" + j + "], trial " + trial);
            }
        }
        assertTrue(refused > 100 && refused < 2000, "refused " + refused);
    }

    private static void same(double x, double y, String what) {
        if (Double.doubleToRawLongBits(x) != Double.doubleToRawLongBits(y) && !(x != x && y != y)) {
            fail(what + ": scalar " + Double.toHexString(x) + ", vector " + Double.toHexString(y));
        }
    }
}
