package dev.softmaxlab.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The vector exp against {@link StrictMath#exp}, bit for bit: fdlibm's own branch thresholds and their neighbours,
 * the special values, and a few million seeded random arguments over the whole range. The long check (a billion
 * arguments) runs by hand: {@code mvn -pl core test -Dtest=VectorExpTest -Dsoftmaxlab.longExpCheck=1000000000}.
 */
class VectorExpTest {

    private static final KernelProvider VECTOR = KernelProvider.vector().orElseThrow(
            () -> new AssertionError("the tests run with --add-modules jdk.incubator.vector (see core/pom.xml)"));

    /** fdlibm's thresholds (as doubles) and values around them, both signs, with their neighbours. */
    private static double[] edges() {
        double[] centres = {0.0, 0x1p-28, 0x1p-29, 0x1p-27, Double.longBitsToDouble(0x3fd62e42_ffffffffL),
            Double.longBitsToDouble(0x3fd62e43_00000000L), 0.5 * Math.log(2), 1.5 * Math.log(2),
            Double.longBitsToDouble(0x3ff0a2b1_ffffffffL), Double.longBitsToDouble(0x3ff0a2b2_00000000L),
            Double.longBitsToDouble(0x40862e41_ffffffffL), Double.longBitsToDouble(0x40862e42_00000000L),
            0x1.62e42fefa39efp9, 0x1.74910d52d3051p9, 708.0, 708.4, 707.7, 745.1, 1.0, 2.0, 0.5, 1e-300,
            Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NaN, 1e-10,
            0.34657359027997264, 1.0397207708399179, 20.0, 88.72283905206835, 103.97, 11.09};
        double[] out = new double[centres.length * 2 * 5 + 2 * 2 * 1100];
        int n = 0;
        for (double c : centres) {
            for (double s : new double[] {1.0, -1.0}) {
                double x = s * c;
                out[n++] = x;
                out[n++] = Math.nextUp(x);
                out[n++] = Math.nextDown(x);
                out[n++] = Math.nextUp(Math.nextUp(x));
                out[n++] = Math.nextDown(Math.nextDown(x));
            }
        }
        // the rounding of k: x/ln2 + 1/2 lands on an integer, for every k the formula covers
        for (int k = -1025; k < 1025 && n + 4 <= out.length; k++) {
            double x = (k - 0.5) * Math.log(2);
            out[n++] = x;
            out[n++] = Math.nextUp(x);
            out[n++] = Math.nextDown(x);
            out[n++] = k * Math.log(2);
        }
        return java.util.Arrays.copyOf(out, n);
    }

    @Test
    void edgesAndSpecialValues() {
        double[] x = edges();
        assertSameAsStrictMath(x, x.length);
    }

    @Test
    void fourMillionRandomArguments() {
        assertEquals(4_000_000, checkRandom(4_000_000, 20260101L));
    }

    /** The softmax kernels' shorter formula for x in [-708, 0]: edges, then two million random arguments. */
    @Test
    void nonPositiveArgumentsAsTheSoftmaxKernelsComputeThem() {
        double[] edges = edges();
        double[] x = java.util.Arrays.stream(edges).filter(v -> v <= 0 && v >= -708).toArray();
        assertSameAsStrictMath(x, x.length, true);
        SplittableRandom r = new SplittableRandom(99);
        double[] y = new double[1 << 16];
        for (int chunk = 0; chunk < 32; chunk++) {
            for (int i = 0; i < y.length; i++) {
                y[i] = switch (r.nextInt(3)) {
                    case 0 -> -708 * r.nextDouble();
                    case 1 -> -2 * r.nextDouble();
                    default -> -Math.scalb(1.0 + r.nextDouble(), r.nextInt(-40, 9));
                };
            }
            assertSameAsStrictMath(y, y.length, true);
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "softmaxlab.longExpCheck", matches = "\\d+")
    void longCheckByHand() {
        long lanes = Long.parseLong(System.getProperty("softmaxlab.longExpCheck"));
        long done = checkRandom(lanes, 7L);
        SplittableRandom r = new SplittableRandom(8);
        double[] y = new double[1 << 16];
        for (long k = 0; k < lanes; k += y.length) {
            for (int i = 0; i < y.length; i++) {
                y[i] = r.nextBoolean() ? -708 * r.nextDouble() : -Math.scalb(1.0 + r.nextDouble(), r.nextInt(-40, 9));
            }
            assertSameAsStrictMath(y, y.length, true);
            done += y.length;
        }
        System.out.println("VectorExpTest: " + done + " random lanes, all equal to StrictMath.exp");
    }

    /** Random arguments in chunks: uniform over [-750, 712], uniform over [-2, 2], and log-uniform magnitudes. */
    private static long checkRandom(long lanes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int chunk = 1 << 16;
        double[] x = new double[chunk];
        long done = 0;
        while (done < lanes) {
            int n = (int) Math.min(chunk, lanes - done);
            for (int i = 0; i < n; i++) {
                x[i] = switch (r.nextInt(3)) {
                    case 0 -> -750 + 1462 * r.nextDouble();
                    case 1 -> -2 + 4 * r.nextDouble();
                    default -> (r.nextBoolean() ? 1 : -1) * Math.scalb(1.0 + r.nextDouble(), r.nextInt(-40, 10));
                };
            }
            assertSameAsStrictMath(x, n);
            done += n;
        }
        return done;
    }

    private static void assertSameAsStrictMath(double[] x, int n) {
        assertSameAsStrictMath(x, n, false);
    }

    private static void assertSameAsStrictMath(double[] x, int n, boolean nonPositive) {
        double[] out = new double[n];
        if (nonPositive) {
            VECTOR.expNonPositive(x, out, n);
        } else {
            VECTOR.exp(x, out, n);
        }
        for (int i = 0; i < n; i++) {
            double expected = StrictMath.exp(x[i]);
            if (Double.doubleToRawLongBits(expected) != Double.doubleToRawLongBits(out[i])) {
                fail("exp(" + Double.toHexString(x[i]) + "): StrictMath " + Double.toHexString(expected)
                        + ", vector " + Double.toHexString(out[i]));
            }
        }
    }
}
