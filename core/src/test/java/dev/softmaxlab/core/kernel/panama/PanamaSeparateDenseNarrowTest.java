package dev.softmaxlab.core.kernel.panama;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.kernel.ScalarSeparateDenseNarrow;
import dev.softmaxlab.core.kernel.SeparateForm;
import dev.softmaxlab.core.precision.Precision;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The separate paths' vector dense half twin against the scalar one, row by row, in bf16 and fp16 and every form: the
 * same refusals, and for every accepted row the same bits in the loss, the probabilities and the gradient. The rows
 * are {@link PanamaFusedDenseHalfTest}'s (C = 1, odd, not a multiple of the lanes, in the thousands; near-ties;
 * specials each twin must refuse; one-hot, two-class, soft and cancelling targets, targets below the normals), with
 * the clip's bounds as the path gives them (1e-7, and sometimes 1e-3, which clips in bf16). (The scalar twin is held
 * to the instrumented reference by KernelVariantTest and HalfDenseKernelsTest, which also run this kernel as the
 * separate paths' vector variant.)
 */
class PanamaSeparateDenseNarrowTest {

    @Test
    void theVectorProviderGivesTheVectorTwin() {
        PanamaKernelProvider provider = new PanamaKernelProvider();
        for (SeparateForm form : SeparateForm.values()) {
            assertSame(PanamaSeparateDenseNarrow.of(Precision.BF16, form),
                    provider.separateDenseNarrow(Precision.BF16, form));
            assertSame(PanamaSeparateDenseNarrow.of(Precision.FP16, form),
                    provider.separateDenseNarrow(Precision.FP16, form));
        }
    }

    @ParameterizedTest
    @EnumSource(SeparateForm.class)
    void theVectorTwinGivesTheScalarTwinsBitsAndRefusals(SeparateForm form) {
        for (Precision f : new Precision[] {Precision.BF16, Precision.FP16}) {
            ScalarSeparateDenseNarrow scalar = ScalarSeparateDenseNarrow.of(f, form);
            PanamaSeparateDenseNarrow vector = PanamaSeparateDenseNarrow.of(f, form);
            SplittableRandom r = new SplittableRandom(81 + 2 * form.ordinal() + f.ordinal());
            int accepted = 0;
            int refused = 0;
            int acceptedWide = 0;
            for (int trial = 0; trial < 2000; trial++) {
                int classes = PanamaFusedDenseHalfTest.classes(r);
                int kind = r.nextInt(3);
                int targetKind = r.nextInt(5);
                int pad = r.nextInt(3); // the row at an offset, as in a batch; q, the row's target, starts at 0
                double[] z = PanamaFusedDenseHalfTest.logits(r, f, classes, kind);
                double[] q = PanamaFusedDenseHalfTest.targets(r, f, z, targetKind);
                double[] logits = new double[pad + classes];
                System.arraycopy(z, 0, logits, pad, classes);
                double eps = r.nextInt(3) == 0 ? 1e-3 : 1e-7;
                double lo = f.round(eps);
                double hi = f.round(1 - eps);
                double[] ps = new double[pad + classes];
                double[] pv = new double[pad + classes];
                double[] gs = new double[pad + classes];
                double[] gv = new double[pad + classes];
                double ls = scalar.denseRow(logits, pad, classes, q, lo, hi, ps, gs);
                double lv = vector.denseRow(logits, pad, classes, q, lo, hi, pv, gv);
                String where = form + " " + f + " trial " + trial + " C=" + classes + " kind " + kind + " targets "
                        + targetKind + " eps " + eps;
                if (ls != ls || lv != lv) {
                    assertTrue(ls != ls && lv != lv, where + ": refused by one twin only, scalar " + ls + " vector "
                            + lv);
                    refused++;
                    continue;
                }
                accepted++;
                acceptedWide += classes > 4 ? 1 : 0;
                PanamaFusedDenseHalfTest.same(ls, lv, where + " loss");
                for (int j = pad; j < pad + classes; j++) {
                    PanamaFusedDenseHalfTest.same(gs[j], gv[j], where + " grad[" + (j - pad) + "]");
                    PanamaFusedDenseHalfTest.same(ps[j], pv[j], where + " p[" + (j - pad) + "]");
                }
            }
            // the naive form refuses more (exp(z) overflows fp16 from z ≈ 11), fp16 more still (normals end at e^-9.7)
            assertTrue(accepted > 250, form + " " + f + ": clean rows must be accepted, " + accepted);
            assertTrue(acceptedWide > 120, form + " " + f + ": wide clean rows must be accepted, " + acceptedWide);
            assertTrue(refused > 200, form + " " + f + ": the rows must include refusals, " + refused);
        }
    }
}
