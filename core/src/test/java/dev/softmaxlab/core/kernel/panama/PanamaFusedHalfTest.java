package dev.softmaxlab.core.kernel.panama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.softmaxlab.core.kernel.LaneSums;
import dev.softmaxlab.core.kernel.RowEvents;
import dev.softmaxlab.core.kernel.ScalarFusedHalf;
import dev.softmaxlab.core.precision.Precision;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The vector half twin against the scalar one, row by row: the same refusals, and for every accepted row the same
 * bits in the loss, the probabilities and the gradient, with and without the probabilities kept and for divisors that
 * are and are not powers of two. (The scalar twin is held to the instrumented reference by KernelVariantTest, which
 * also runs this kernel as the fused path's vector variant.) The rows are seeded: C = 1, odd C, C not a multiple of
 * the 4 lanes, C in the thousands; maxima with near-ties (logits a few double ulps or one format ulp apart, and exact
 * ties); and rows each twin must refuse (NaN, ±∞, subnormal or tiny logits, logits beyond the format's range, exps
 * below its normals, a spread beyond the vector exp's range).
 */
class PanamaFusedHalfTest {

    @Test
    void theVectorProviderGivesTheVectorTwinForBothHalfFormats() {
        PanamaKernelProvider provider = new PanamaKernelProvider();
        assertSame(PanamaFusedHalf.BF16, provider.fusedHalf(Precision.BF16));
        assertSame(PanamaFusedHalf.FP16, provider.fusedHalf(Precision.FP16));
    }

    private static int classes(SplittableRandom r) {
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
    private static double[] row(SplittableRandom r, Precision f, int classes, int kind) {
        double[] z = new double[classes];
        double scale = new double[] {1, 4, 10, 30}[r.nextInt(4)];
        for (int j = 0; j < classes; j++) {
            z[j] = scale * (2 * r.nextDouble() - 1);
        }
        if (kind == 1) {
            // near-ties: copies of the max nudged by a few double ulps (one rounding apart or none) or one format ulp
            int a = r.nextInt(classes);
            double top = f.round(scale + 1);
            z[a] = top;
            for (int t = 0; t < 1 + classes / 8; t++) {
                int j = r.nextInt(classes);
                z[j] = switch (r.nextInt(4)) {
                    case 0 -> top;
                    case 1 -> top - Math.ulp(top) * r.nextInt(1, 4);
                    case 2 -> top - Math.ulp(f.round(top)) * (1 << (53 - (f == Precision.BF16 ? 8 : 11)));
                    default -> top + Math.ulp(top) * r.nextInt(1, 4);
                };
            }
        } else if (kind == 2) {
            for (int t = 0; t < 1 + r.nextInt(3); t++) {
                z[r.nextInt(classes)] = special(r, f);
            }
        }
        return z;
    }

    @ParameterizedTest
    @EnumSource(names = {"BF16", "FP16"})
    void theVectorTwinGivesTheScalarTwinsBitsAndRefusals(Precision f) {
        ScalarFusedHalf scalar = f == Precision.BF16 ? ScalarFusedHalf.BF16 : ScalarFusedHalf.FP16;
        PanamaFusedHalf vector = PanamaFusedHalf.of(f);
        SplittableRandom r = new SplittableRandom(f == Precision.BF16 ? 51 : 52);
        double[] scratch = new double[LaneSums.SCRATCH];
        int accepted = 0;
        int refused = 0;
        int acceptedWide = 0;
        for (int trial = 0; trial < 3000; trial++) {
            int classes = classes(r);
            int kind = r.nextInt(3);
            int pad = r.nextInt(3); // the row at an offset, as in a batch
            double[] logits = new double[pad + classes];
            System.arraycopy(row(r, f, classes, kind), 0, logits, pad, classes);
            int label = r.nextInt(classes);
            double divisor = new double[] {1, 1, 4, 3, 1024, 0.5}[r.nextInt(6)];
            boolean keep = r.nextBoolean();
            double[] ps = keep ? new double[pad + classes] : null;
            double[] pv = keep ? new double[pad + classes] : null;
            double[] gs = new double[pad + classes];
            double[] gv = new double[pad + classes];
            double ls = scalar.finishedSparseRow(logits, pad, classes, label, ps, gs, divisor, scratch);
            double lv = vector.finishedSparseRow(logits, pad, classes, label, pv, gv, divisor, scratch);
            String where = f + " trial " + trial + " C=" + classes + " kind " + kind + " D=" + divisor;
            if (ls != ls || lv != lv) {
                assertTrue(ls != ls && lv != lv, where + ": refused by one twin only, scalar " + ls + " vector " + lv);
                refused++;
                continue;
            }
            accepted++;
            acceptedWide += classes > 4 ? 1 : 0;
            same(ls, lv, where + " loss");
            for (int j = pad; j < pad + classes; j++) {
                same(gs[j], gv[j], where + " grad[" + (j - pad) + "]");
                if (keep) {
                    same(ps[j], pv[j], where + " p[" + (j - pad) + "]");
                }
            }
            // the sparse-row entry is the finished row with D = 1 and p kept
            if (keep && divisor == 1.0) {
                double[] p2 = new double[pad + classes];
                double[] g2 = new double[pad + classes];
                same(ls, vector.sparseRow(logits, pad, classes, label, p2, g2, scratch), where + " sparseRow");
            }
        }
        // fp16 refuses more (its normals end at e^-9.7: logits spread by 30 leave them), hence no higher bar
        assertTrue(accepted > 500, f + ": clean rows must be accepted, " + accepted);
        assertTrue(acceptedWide > 300, f + ": clean rows wider than the lanes must be accepted, " + acceptedWide);
        assertTrue(refused > 300, f + ": the rows must include refusals, " + refused);
    }

    /**
     * The counting entry point of both twins on the same seeded rows, with rows whose exps reach below the format's
     * normals added (a long tail: a quarter of the logits 9 to 20 below the max in fp16, 88 to 100 in bf16, and
     * whole rows spread that far): the same refusals, the same bits, and the same counts of subnormal results and
     * exps that give 0. Rows with such events must be kept, in numbers (the reference's counts for them are
     * HalfRowEventsTest's), and a kept row with events is refused by the plain entry point.
     */
    @ParameterizedTest
    @EnumSource(names = {"BF16", "FP16"})
    void theTwinsKeepAndCountTheSameRows(Precision f) {
        ScalarFusedHalf scalar = f == Precision.BF16 ? ScalarFusedHalf.BF16 : ScalarFusedHalf.FP16;
        PanamaFusedHalf vector = PanamaFusedHalf.of(f);
        SplittableRandom r = new SplittableRandom(f == Precision.BF16 ? 53 : 54);
        double[] ss = new double[LaneSums.SCRATCH];
        double[] sv = new double[LaneSums.SCRATCH];
        double tailLow = f == Precision.BF16 ? 88 : 9;
        int keptWithEvents = 0;
        int keptWideWithEvents = 0;
        int refused = 0;
        for (int trial = 0; trial < 3000; trial++) {
            int classes = classes(r);
            int kind = r.nextInt(5);
            int pad = r.nextInt(3);
            double[] logits = new double[pad + classes];
            double[] z = kind < 3 ? row(r, f, classes, kind) : new double[classes];
            if (kind == 3) { // a tail: a quarter of the classes far below a max near 0
                for (int j = 0; j < classes; j++) {
                    z[j] = r.nextInt(4) == 0 ? -tailLow - 12 * r.nextDouble() : 2 * r.nextDouble() - 1;
                }
            } else if (kind == 4) { // the whole row spread to the tail's depth
                for (int j = 0; j < classes; j++) {
                    z[j] = -(tailLow + 12) * r.nextDouble();
                }
            }
            System.arraycopy(z, 0, logits, pad, classes);
            int label = r.nextInt(classes);
            double divisor = new double[] {1, 1, 4, 3, 1024, 0.5}[r.nextInt(6)];
            boolean keep = r.nextBoolean();
            double[] ps = keep ? new double[pad + classes] : null;
            double[] pv = keep ? new double[pad + classes] : null;
            double[] gs = new double[pad + classes];
            double[] gv = new double[pad + classes];
            double ls = scalar.countingFinishedSparseRow(logits, pad, classes, label, ps, gs, divisor, ss);
            double lv = vector.countingFinishedSparseRow(logits, pad, classes, label, pv, gv, divisor, sv);
            String where = f + " trial " + trial + " C=" + classes + " kind " + kind + " D=" + divisor;
            if (ls != ls || lv != lv) {
                assertTrue(ls != ls && lv != lv, where + ": refused by one twin only, scalar " + ls + " vector " + lv);
                refused++;
                continue;
            }
            same(ls, lv, where + " loss");
            for (int j = pad; j < pad + classes; j++) {
                same(gs[j], gv[j], where + " grad[" + (j - pad) + "]");
                if (keep) {
                    same(ps[j], pv[j], where + " p[" + (j - pad) + "]");
                }
            }
            assertEquals(ss[RowEvents.SUBNORMAL_SLOT], sv[RowEvents.SUBNORMAL_SLOT], where + " subnormal");
            assertEquals(ss[RowEvents.EXP_UNDERFLOW_SLOT], sv[RowEvents.EXP_UNDERFLOW_SLOT], where + " expUnderflow");
            if (!RowEvents.none(sv)) {
                keptWithEvents++;
                keptWideWithEvents += classes > 4 ? 1 : 0;
                double plain = vector.finishedSparseRow(logits, pad, classes, label, pv, gv, divisor, sv);
                assertTrue(plain != plain, where + ": the plain entry point keeps only rows without events");
            }
        }
        assertTrue(keptWithEvents > 800, f + ": rows with finite events must be kept, " + keptWithEvents);
        assertTrue(keptWideWithEvents > 600, f + ": and wide ones, " + keptWideWithEvents);
        assertTrue(refused > 100, f + ": the rows must still include refusals, " + refused);
    }

    /**
     * A clean row of 100 classes is accepted, and its outputs are near the exact values (computed in double from the
     * logits rounded to the format). With u = 2^-p the format's unit roundoff: p_j = round(round(e_j) / s), s with
     * relative error at most 2u (two roundings; the fp32 sum adds far less), so each p_j is within about 4u of its
     * exact value, relatively, and so is their sum of 1; the loss, round(round(m - z_y) + round(log1p s')), is within
     * u·|m - z_y| + 3u·log s + u·loss + 2u of the exact one.
     */
    @ParameterizedTest
    @EnumSource(names = {"BF16", "FP16"})
    void aCleanRowIsAcceptedAndNearTheExactSoftmax(Precision f) {
        double[] z = new double[100];
        for (int j = 0; j < z.length; j++) {
            z[j] = Math.sin(j); // in [-1, 1]: every exp(z_j - m) ≥ e^-2, far above the format's normals
        }
        double[] p = new double[100];
        double[] g = new double[100];
        int label = 7;
        double loss = PanamaFusedHalf.of(f).sparseRow(z, 0, 100, label, p, g, new double[LaneSums.SCRATCH]);
        assertTrue(loss == loss, "a clean row is accepted");
        double u = Math.scalb(1.0, f == Precision.BF16 ? -8 : -11);
        double m = Double.NEGATIVE_INFINITY;
        for (double zj : z) {
            m = Math.max(m, f.round(zj));
        }
        double s = 0.0;
        for (double zj : z) {
            s += Math.exp(f.round(zj) - m);
        }
        double sum = 0.0;
        for (int j = 0; j < 100; j++) {
            assertEquals(f.round(p[j]), p[j], "p_j is a value of the format");
            double exact = Math.exp(f.round(z[j]) - m) / s;
            assertEquals(exact, p[j], 4.5 * u * exact, "p_" + j);
            sum += p[j];
        }
        assertEquals(1.0, sum, 4.5 * u);
        double d = m - f.round(z[label]);
        double exactLoss = d + Math.log(s);
        assertEquals(exactLoss, loss, u * (d + 3 * Math.log(s) + exactLoss + 2), "loss");
        // grad_y = -round(round(s - e_y) / s): s (2u), s - e_y (u) and the quotient (u), each relative, all below 1
        double exactPy = Math.exp(f.round(z[label]) - m) / s;
        assertEquals(exactPy - 1.0, g[label], 5 * u, "grad_y");
    }

    private static void same(double expected, double actual, String what) {
        if (Double.doubleToRawLongBits(expected) != Double.doubleToRawLongBits(actual)) {
            fail(what + ": scalar " + expected + " (" + Double.toHexString(expected) + "), vector " + actual + " ("
                    + Double.toHexString(actual) + ")");
        }
    }
}
