package dev.softmaxlab.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad loss-head options: each is refused with one line that names the option, the value and the fix. */
class LossHeadValidationTest {

    private static void assertRejected(Executable e, String... mustContain) {
        InvalidInputException ex = assertThrows(InvalidInputException.class, e);
        String m = ex.getMessage();
        assertTrue(!m.contains("\n"), "one line: " + m);
        for (String s : mustContain) {
            assertTrue(m.contains(s), "message '" + m + "' should contain '" + s + "'");
        }
    }

    private static void evaluate(String path, LossOptions o, Precision p) {
        LossPaths.byId(path).evaluate(LossInput.ofLabel(new double[] {1, 2, 3}, 0), o, PrecisionSpec.of(p),
                new LossResult());
    }

    @Test
    void classWeights() {
        assertRejected(() -> ClassWeights.of(1, 0, 2), "class weight 0.0", "class 1", "> 0");
        assertRejected(() -> ClassWeights.of(1, -2), "class weight -2.0", "> 0");
        assertRejected(() -> ClassWeights.of(Double.NaN), "NaN", "finite");
        assertRejected(() -> ClassWeights.of(1, Double.POSITIVE_INFINITY), "Infinity", "finite");
        assertRejected(ClassWeights::of, "empty");
        for (LossPath path : LossPaths.all()) {
            assertRejected(() -> evaluate(path.id(), LossOptions.DEFAULTS.withClassWeights(ClassWeights.of(1, 2)),
                    Precision.FP64), "class weights has 2 values", "3 classes", "one weight per class");
        }
    }

    @Test
    void ignoreIndexThatIsAClass() {
        for (LossPath path : LossPaths.all()) {
            assertRejected(() -> evaluate(path.id(), LossOptions.DEFAULTS.withIgnoreIndex(2), Precision.FP64),
                    "ignore index 2", "class index", "outside 0..2", "-100");
        }
        // 3 is not a class of three: accepted, and a label 3 is then an ignored row
        evaluate("fused", LossOptions.DEFAULTS.withIgnoreIndex(3), Precision.FP64);
    }

    @Test
    void ranges() {
        assertRejected(() -> LossOptions.DEFAULTS.withSoftcap(0), "softcap 0.0", "> 0", "e.g. 30");
        assertRejected(() -> LossOptions.DEFAULTS.withSoftcap(-30), "softcap -30.0");
        assertRejected(() -> LossOptions.DEFAULTS.withSoftcap(Double.NaN), "softcap NaN");
        assertRejected(() -> LossOptions.DEFAULTS.withSoftcap(Double.POSITIVE_INFINITY), "softcap Infinity");
        assertRejected(() -> LossOptions.DEFAULTS.withZLoss(-1e-4), "z-loss -1.0E-4", "λ ≥ 0", "1e-4");
        assertRejected(() -> LossOptions.DEFAULTS.withZLoss(Double.NaN), "z-loss NaN");
        assertRejected(() -> LossOptions.DEFAULTS.withZLoss(Double.POSITIVE_INFINITY), "z-loss Infinity");
        assertRejected(() -> LossOptions.DEFAULTS.withChunkSize(0), "chunk size 0", "at least 1", "4096");
        assertRejected(() -> LossOptions.DEFAULTS.withChunkSize(-5), "chunk size -5");
    }

    @Test
    void chunkCarryNarrowerThanTheFormat() {
        LossOptions fp16Carry = LossOptions.DEFAULTS.withChunkCarry(Precision.FP16);
        assertRejected(() -> evaluate("fused-chunked", fp16Carry, Precision.FP32), "chunk carry fp16",
                "narrower than the compute precision fp32", "fp64");
        assertRejected(() -> evaluate("fused-chunked", fp16Carry, Precision.BF16), "chunk carry fp16", "bf16",
                "fp32 or fp64");
        assertRejected(() -> evaluate("fused-chunked", LossOptions.DEFAULTS.withChunkCarry(Precision.BF16),
                Precision.FP16), "chunk carry bf16");
        assertRejected(() -> evaluate("fused-chunked", LossOptions.DEFAULTS.withChunkCarry(Precision.FP32),
                Precision.FP64), "chunk carry fp32", "fp64");
        // the format itself and anything that holds it are fine
        evaluate("fused-chunked", fp16Carry, Precision.FP16);
        evaluate("fused-chunked", LossOptions.DEFAULTS.withChunkCarry(Precision.FP32), Precision.BF16);
        evaluate("fused-chunked", LossOptions.DEFAULTS.withChunkCarry(Precision.FP64), Precision.FP32);
    }

    @Test
    void anOptionGivenToAPathThatCannotUseIt() {
        assertRejected(() -> new LossHead(LossPaths.byId("fused"), LossOptions.DEFAULTS.withChunkSize(1024)),
                "chunkSize = 1024", "path fused", "only fused-chunked uses it");
        assertRejected(() -> new LossHead(LossPaths.byId("separate"), LossOptions.DEFAULTS.withChunkCarry(
                Precision.BF16)), "chunkCarry = bf16", "separate");
        assertRejected(() -> new LossHead(LossPaths.byId("fused"), LossOptions.DEFAULTS.withClipEpsilon(1e-4)),
                "clipEpsilon = 1.0E-4", "only separate-clipped uses it");
        assertRejected(() -> LossPaths.headsFor(List.of(LossPaths.byId("fused"), LossPaths.byId("separate")),
                LossOptions.DEFAULTS.withChunkSize(64)), "chunkSize = 64", "paths fused, separate");
        // the shared options go with every path
        for (LossPath path : LossPaths.all()) {
            new LossHead(path, LossOptions.DEFAULTS.withZLoss(1e-4).withSoftcap(30).withIgnoreIndex(-1)
                    .withClassWeights(ClassWeights.of(1, 2, 3)).withLabelSmoothing(0.1));
        }
    }

    @Test
    void aRunOfSeveralPathsGivesEachHeadTheOptionsItsPathUses() {
        List<LossHead> heads = LossPaths.headsFor(List.of(LossPaths.byId("fused"), LossPaths.byId("fused-chunked")),
                LossOptions.DEFAULTS.withChunkSize(64).withZLoss(1e-4));
        assertEquals(LossOptions.DEFAULTS.withZLoss(1e-4), heads.get(0).options());
        assertEquals(LossOptions.DEFAULTS.withChunkSize(64).withZLoss(1e-4), heads.get(1).options());
    }
}
