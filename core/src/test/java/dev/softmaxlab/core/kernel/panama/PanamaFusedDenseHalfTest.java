package dev.softmaxlab.core.kernel.panama;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.softmaxlab.core.kernel.KernelProvider;
import dev.softmaxlab.core.kernel.LaneSums;
import dev.softmaxlab.core.kernel.ScalarFusedDenseHalf;
import dev.softmaxlab.core.precision.Precision;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The vector dense half twin against the scalar one, row by row: the same refusals, and for every accepted row the
 * same bits in the loss, the probabilities and the gradient, with and without the probabilities kept and for divisors
 * that are and are not powers of two. (The scalar twin is held to the instrumented reference by KernelVariantTest and
 * HalfDenseKernelsTest, which also run this kernel as the fused path's vector variant.) The rows are seeded: C = 1,
 * odd C, C not a multiple of the 4 lanes, C in the thousands; the argmax in a vector lane and in the scalar tail;
 * one-hot, two-class and soft targets (with zeros), targets equal to the row's softmax (a cancelling gradient entry)
 * and targets below the format's normals; logits with near-ties, and specials each twin must refuse (NaN, ±∞,
 * subnormal or tiny logits, logits beyond the format's range, exps below its normals, a spread beyond the vector exp's
 * range).
 */
class PanamaFusedDenseHalfTest {

    @Test
    void theVectorProviderGivesTheVectorTwinForBothHalfFormats() {
        PanamaKernelProvider provider = new PanamaKernelProvider();
        assertSame(PanamaFusedDenseHalf.BF16, provider.fusedDenseHalf(Precision.BF16));
        assertSame(PanamaFusedDenseHalf.FP16, provider.fusedDenseHalf(Precision.FP16));
        assertSame(ScalarFusedDenseHalf.BF16, KernelProvider.scalar().fusedDenseHalf(Precision.BF16));
    }

    static int classes(SplittableRandom r) {
        return switch (r.nextInt(7)) {
            case 0 -> 1;
            case 1 -> 2 * r.nextInt(1, 30) + 1; // odd
            case 2 -> 4 * r.nextInt(1, 40) + r.nextInt(1, 4); // not a multiple of the lanes
            case 3 -> 4 * r.nextInt(1, 40); // whole lane blocks
            case 4 -> 1000 + r.nextInt(3000); // many lane-sum blocks
            default -> 2 + r.nextInt(16);
        };
    }

    private static double special(SplittableRandom r, Precision f) {
        return switch (r.nextInt(10)) {
            case 0 -> Double.NaN;
            case 1 -> Double.POSITIVE_INFINITY;
            case 2 -> Double.NEGATIVE_INFINITY;
            case 3 -> Double.MIN_VALUE * r.nextInt(1, 100); // rounds to a tiny non-zero double: refused
            case 4 -> f.minNormal() * (0.25 + r.nextDouble()); // around the format's smallest normal
            case 5 -> f.maxFinite() * (0.99 + 0.02 * r.nextDouble()) * (r.nextBoolean() ? 1 : -1); // its largest
            case 6 -> -800 - 100 * r.nextDouble(); // beyond the vector exp's range after the shift
            case 7 -> -80 - 40 * r.nextDouble(); // exp below the format's normals (bf16: near them)
            case 8 -> 0.0;
            default -> -(r.nextBoolean() ? 0.0 : Math.ulp(1.0)); // near zero
        };
    }

    /** A row of logits: plain, near-tied maxima, or with specials that a twin must refuse. */
    static double[] logits(SplittableRandom r, Precision f, int classes, int kind) {
        double[] z = new double[classes];
        double scale = new double[] {1, 2, 4, 10, 30}[r.nextInt(5)];
        for (int j = 0; j < classes; j++) {
            z[j] = scale * (2 * r.nextDouble() - 1);
        }
        if (kind == 1) {
            int a = r.nextInt(classes);
            double top = f.round(scale + 1);
            z[a] = top;
            for (int t = 0; t < 1 + classes / 8; t++) {
                int j = r.nextInt(classes);
                z[j] = switch (r.nextInt(3)) {
                    case 0 -> top;
                    case 1 -> top - Math.ulp(top) * r.nextInt(1, 4);
                    default -> top - Math.ulp(f.round(top)) * (1 << (53 - (f == Precision.BF16 ? 8 : 11)));
                };
            }
        } else if (kind == 2) {
            for (int t = 0; t < 1 + r.nextInt(3); t++) {
                z[r.nextInt(classes)] = special(r, f);
            }
        }
        return z;
    }

    /** A dense target row: one-hot, two-class, soft with zeros, the row's own softmax, or one with a tiny entry. */
    static double[] targets(SplittableRandom r, Precision f, double[] z, int kind) {
        int classes = z.length;
        double[] t = new double[classes];
        int label = r.nextInt(classes);
        switch (kind) {
            case 0 -> t[label] = 1.0;
            case 1 -> {
                t[label] = 0.75;
                t[r.nextInt(classes)] += 0.25;
            }
            case 2 -> {
                double sum = 0.0;
                for (int j = 0; j < classes; j++) {
                    t[j] = r.nextInt(3) == 0 ? 0.0 : r.nextDouble();
                    sum += t[j];
                }
                if (sum == 0.0) {
                    t[label] = sum = 1.0;
                }
                for (int j = 0; j < classes; j++) {
                    t[j] /= sum;
                }
            }
            case 3 -> { // the softmax itself: p_j - t_j cancels (a row for the exact reference), where finite
                double m = Double.NEGATIVE_INFINITY;
                for (double v : z) {
                    m = Math.max(m, v);
                }
                double sum = 0.0;
                for (int j = 0; j < classes; j++) {
                    t[j] = Math.exp(z[j] - m);
                    sum += t[j];
                }
                for (int j = 0; j < classes; j++) {
                    t[j] = sum == sum && sum > 0 ? t[j] / sum : (j == label ? 1.0 : 0.0);
                }
            }
            default -> {
                t[label] = 1.0;
                t[r.nextInt(classes)] += f.minNormal() * (0.1 + 0.8 * r.nextDouble()); // subnormal, or absorbed
            }
        }
        return t;
    }

    @ParameterizedTest
    @EnumSource(names = {"BF16", "FP16"})
    void theVectorTwinGivesTheScalarTwinsBitsAndRefusals(Precision f) {
        ScalarFusedDenseHalf scalar = ScalarFusedDenseHalf.of(f);
        PanamaFusedDenseHalf vector = PanamaFusedDenseHalf.of(f);
        SplittableRandom r = new SplittableRandom(f == Precision.BF16 ? 61 : 62);
        double[] scratch = new double[LaneSums.SCRATCH];
        int accepted = 0;
        int refused = 0;
        int acceptedWide = 0;
        int acceptedSoft = 0;
        for (int trial = 0; trial < 3000; trial++) {
            int classes = classes(r);
            int kind = r.nextInt(3);
            int targetKind = r.nextInt(5);
            int pad = r.nextInt(3); // the row at an offset, as in a batch
            double[] z = logits(r, f, classes, kind);
            double[] logits = new double[pad + classes];
            double[] t = new double[pad + classes];
            System.arraycopy(z, 0, logits, pad, classes);
            System.arraycopy(targets(r, f, z, targetKind), 0, t, pad, classes);
            double divisor = new double[] {1, 1, 4, 3, 1024, 0.5}[r.nextInt(6)];
            boolean keep = r.nextBoolean();
            double[] ps = keep ? new double[pad + classes] : null;
            double[] pv = keep ? new double[pad + classes] : null;
            double[] gs = new double[pad + classes];
            double[] gv = new double[pad + classes];
            double ls = scalar.finishedDenseRow(logits, t, pad, classes, ps, gs, divisor, scratch);
            double lv = vector.finishedDenseRow(logits, t, pad, classes, pv, gv, divisor, scratch);
            String where = f + " trial " + trial + " C=" + classes + " kind " + kind + " targets " + targetKind
                    + " D=" + divisor;
            if (ls != ls || lv != lv) {
                assertTrue(ls != ls && lv != lv, where + ": refused by one twin only, scalar " + ls + " vector " + lv);
                refused++;
                continue;
            }
            accepted++;
            acceptedWide += classes > 4 ? 1 : 0;
            acceptedSoft += targetKind == 1 || targetKind == 2 ? 1 : 0;
            same(ls, lv, where + " loss");
            for (int j = pad; j < pad + classes; j++) {
                same(gs[j], gv[j], where + " grad[" + (j - pad) + "]");
                if (keep) {
                    same(ps[j], pv[j], where + " p[" + (j - pad) + "]");
                }
            }
        }
        // fp16 refuses more (its normals end at e^-9.7: logits spread by 20 or more leave them)
        assertTrue(accepted > 400, f + ": clean rows must be accepted, " + accepted);
        int wide = f == Precision.BF16 ? 250 : 150; // in fp16 the rows of C ≥ 1000 are refused at these scales
        assertTrue(acceptedWide > wide, f + ": clean rows wider than the lanes must be accepted, " + acceptedWide);
        assertTrue(acceptedSoft > 100, f + ": rows with soft targets must be accepted, " + acceptedSoft);
        assertTrue(refused > 300, f + ": the rows must include refusals, " + refused);
    }

    static void same(double expected, double actual, String what) {
        if (Double.doubleToRawLongBits(expected) != Double.doubleToRawLongBits(actual)) {
            fail(what + ": scalar " + expected + " (" + Double.toHexString(expected) + "), vector " + actual + " ("
                    + Double.toHexString(actual) + ")");
        }
    }
}
