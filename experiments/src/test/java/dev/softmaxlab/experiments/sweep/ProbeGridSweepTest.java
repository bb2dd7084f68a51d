package dev.softmaxlab.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.experiments.config.ProbeGridConfig;
import dev.softmaxlab.experiments.config.ProbeGridKeys;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.report.ProbeRowSummary;
import dev.softmaxlab.experiments.schema.SchemaCheck;
import dev.softmaxlab.experiments.spec.ExperimentSpec;
import dev.softmaxlab.experiments.spec.SpecKind;
import dev.softmaxlab.experiments.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A probe spec ({@code "kind": "probe"}) is a sweep like the others: expect, shards, merge, resume, schemas. */
class ProbeGridSweepTest {

    @TempDir
    Path tmp;

    static final String SPEC = """
            {"schema":"softmaxlab.spec/1","kind":"probe","name":"p","description":"d",
             "base":{"classes":4,"paths":["fused","separate-naive"],"precision":["fp32","fp16"]},
             "grid":{"logitScale":[1,100],"confidence":[1,-1]},
             "expect":[{"where":{"path":"fused"},"metric":"totalNonFinite","equals":0},
                       {"where":{"path":"separate-naive","logitScale":100,"confidence":1},"metric":"lossUlpsVsExact","finite":false},
                       {"where":{"logitScale":1},"metric":"labelGradient","lt":0}]}""";

    private static JsonNode read(Path f) throws Exception {
        return Json.mapper().readTree(f.toFile());
    }

    private static Sweep sweep() {
        return new Sweep(config -> {
            throw new AssertionError("a probe spec never trains");
        }, SweepListener.NONE);
    }

    @Test
    void aProbeSpecRunsItsRowsChecksItsExpectationsAndWritesDocumentsThatMatchTheirSchemas() throws Exception {
        ExperimentSpec spec = SpecLoader.parse(SPEC, "p");
        assertEquals(SpecKind.PROBE, spec.kind());
        Sweep.Result r = sweep().run(spec, new SweepOptions(2, Shard.ALL, false, false), tmp.resolve("all"),
                List.of("sweep"));
        assertEquals(4, r.executed());
        JsonNode summary = read(tmp.resolve("all/summary.json"));
        assertEquals(List.of(), SchemaCheck.errors("sweep", summary));
        for (JsonNode e : summary.get("expectations")) {
            assertEquals("pass", e.get("status").asText(), e.toString());
        }
        try (Stream<Path> files = Files.list(tmp.resolve("all/runs"))) {
            for (Path f : files.toList()) {
                assertEquals(List.of(), SchemaCheck.errors("probeRow", read(f)), f.toString());
            }
        }
        String csv = Files.readString(tmp.resolve("all/summary.csv"));
        assertTrue(csv.lines().findFirst().orElseThrow().contains(",confidence,"), csv);
        assertEquals(1 + 4 * 2 * 2, csv.lines().count());
    }

    @Test
    void shardsMergeIntoTheUnshardedSummaryAndResumeRunsNothingTwice() throws Exception {
        ExperimentSpec spec = SpecLoader.parse(SPEC, "p");
        sweep().run(spec, new SweepOptions(1, Shard.ALL, false, false), tmp.resolve("all"), List.of("sweep"));
        for (int i = 1; i <= 2; i++) {
            sweep().run(spec, new SweepOptions(1, new Shard(i, 2), false, false), tmp.resolve("s" + i),
                    List.of("sweep"));
        }
        SweepMerge.merge(List.of(tmp.resolve("s2"), tmp.resolve("s1")), tmp.resolve("m"), List.of("merge"));
        assertEquals(SweepSummary.stable(read(tmp.resolve("all/summary.json"))),
                SweepSummary.stable(read(tmp.resolve("m/summary.json"))));
        assertEquals(Files.readString(tmp.resolve("all/summary.csv")), Files.readString(tmp.resolve("m/summary.csv")));
        Sweep.Result again = sweep().run(spec, new SweepOptions(1, Shard.ALL, true, false), tmp.resolve("all"),
                List.of("sweep"));
        assertEquals(0, again.executed());
        assertEquals(4, again.resumed());
        // --smoke changes nothing in a probe spec: a row is one evaluation
        sweep().run(spec, new SweepOptions(1, Shard.ALL, false, true), tmp.resolve("smoke"), List.of("sweep"));
        assertEquals(SweepSummary.stable(read(tmp.resolve("all/summary.json"))).get("runs"),
                SweepSummary.stable(read(tmp.resolve("smoke/summary.json"))).get("runs"));
    }

    /**
     * The row of classes 3, scale 2, confidence 0.5, seed 7, against mpmath (50 digits): the logits
     * are [1.9966784125345325, 0.9227961682401684, 0.9966784125345325] (java.util.Random(7) re-implemented in
     * Python), loss = log Σ exp(z_j) − z_0 = 0.5362353824257113030584767, dLoss/dz_0 = −0.4150537886721367204822492.
     */
    @Test
    void metricsAgainstAnIndependentReference() {
        ProbeGridConfig c = ProbeGridKeys.resolve(Json.mapper().createObjectNode().put("classes", 3)
                .put("logitScale", 2).put("confidence", 0.5).put("seed", 7)
                .set("precision", Json.mapper().createArrayNode().add("fp64").add("fp32")));
        assertEquals(List.of(1.9966784125345325, 0.9227961682401684, 0.9966784125345325),
                java.util.Arrays.stream(c.logits()).boxed().toList());
        List<ProbeRowSummary> s = ProbeGridRuns.evaluate(c);
        double loss = 0.5362353824257113;
        double labelGradient = -0.4150537886721367;
        ProbeRowSummary fused64 = s.get(0);
        assertEquals(loss, fused64.loss(), 2 * Math.ulp(loss));
        assertEquals(labelGradient, fused64.labelGradient(), 2 * Math.ulp(labelGradient));
        // the exact reference is mpmath's value rounded to double; fused in fp64 is within a couple of ulps of it
        assertTrue(fused64.lossUlpsVsExact() <= 2, fused64.toString());
        assertEquals(Math.abs(fused64.loss() - loss) / Math.ulp(loss), fused64.lossUlpsVsExact(), 1e-12);
        ProbeRowSummary fused32 = s.get(1);
        // ulps of fp32 at the reference, computed here from the definition
        double unit = Math.ulp((float) loss);
        assertEquals(Math.abs(fused32.loss() - loss) / unit, fused32.lossUlpsVsExact(), 1e-12);
        assertTrue(fused32.lossUlpsVsExact() <= 4, "fused fp32 within a few ulps: " + fused32);
        assertEquals(Math.abs(fused32.labelGradient() - labelGradient) / Math.ulp((float) labelGradient),
                fused32.labelGradientUlpsVsExact(), 1e-12);
        assertEquals(0, fused32.totalNonFinite());
        assertEquals(dev.softmaxlab.core.loss.LossPaths.defaults().size() * 2, s.size()); // the default paths
    }

    /**
     * With label smoothing α = 0.1 the exact reference takes the smoothed target t = (α/3 + 0.9, α/3, α/3): on the
     * row above, mpmath (50 digits) gives Σ t_j·(lse − z_j) = 0.6053647905688567760451712 and
     * dLoss/dz_0 = p_0 − t_0 = −0.34838712200547006.
     */
    @Test
    void labelSmoothingIsInTheExactReference() {
        ProbeGridConfig c = ProbeGridKeys.resolve(Json.mapper().createObjectNode().put("classes", 3)
                .put("logitScale", 2).put("confidence", 0.5).put("seed", 7).put("labelSmoothing", 0.1)
                .put("paths", "fused").put("precision", "fp64"));
        var exact = ProbeGridRuns.exactReference(c.logits(), c.head().loss());
        assertEquals(0.6053647905688567, exact.loss().doubleValue(), 2 * Math.ulp(0.6053647905688567));
        assertEquals(-0.34838712200547006, exact.gradient()[0], 2 * Math.ulp(0.34838712200547006));
        ProbeRowSummary fused = ProbeGridRuns.evaluate(c).get(0);
        assertEquals(0.6053647905688567, fused.loss(), 4 * Math.ulp(0.6053647905688567));
        assertTrue(fused.lossUlpsVsExact() <= 2, fused.toString());
    }

    @Test
    void aBrokenPathIsCountedAndItsErrorIsNaNNeverHidden() {
        ProbeGridConfig c = ProbeGridKeys.resolve(Json.mapper().createObjectNode().put("logitScale", 100)
                .put("paths", "separate-naive").put("precision", "fp32"));
        ProbeRowSummary s = ProbeGridRuns.evaluate(c).get(0);
        assertTrue(s.totalNonFinite() > 0, s.toString());
        assertTrue(Double.isNaN(s.loss()) && Double.isNaN(s.lossUlpsVsExact()), s.toString());
        assertTrue(s.events().expOverflow() > 0, s.toString());
        assertEquals(List.of(Precision.FP32), c.precision());
    }

    @Test
    void aBadProbeSpecIsLocatedByKey() {
        var r = SpecLoader.check(SPEC.replace("\"classes\":4", "\"classes\":4,\"lr\":0.1")
                .replace("\"confidence\":[1,-1]", "\"confidence\":[1,\"high\"]")
                .replace("\"metric\":\"labelGradient\"", "\"metric\":\"finalTestAccuracy\"")
                .replace("\"kind\":\"probe\"", "\"kind\":\"probe\""));
        List<String> where = r.problems().stream().map(p -> p.where()).toList();
        assertEquals(List.of("$.base.lr", "$.grid.confidence[1]", "$.expect[2].metric"), where, r.problems().toString());
        assertTrue(r.problems().get(0).message().contains("unknown probe option 'lr'"), r.problems().toString());
        var kind = SpecLoader.check(SPEC.replace("\"kind\":\"probe\"", "\"kind\":\"probes\""));
        assertEquals("$.kind", kind.problems().get(0).where());
        var zero = SpecLoader.check(SPEC.replace("\"classes\":4", "\"classes\":0"));
        assertEquals("$.base.classes", zero.problems().get(0).where(), zero.problems().toString());
        assertFalse(zero.ok());
    }

    /**
     * The label gradient's relative error against mpmath (40 digits): the 2-class row [2.203125, 0] (labelProbability
     * 0.9 at scale 0) has grad_label = -1/(1 + e^2.203125) = -0.09947021388210706889...; the 10-class row at
     * p 0.99999 has z_0 = 13.6875 and grad_label = -9/(9 + e^13.6875) = -1.022898038890755614...e-5. In bf16,
     * fused-lowp-grad rounds s = 1 + s' with s' ≈ 1.0e-5 < 2^-8 to 1, stores p_label = 1, and returns exactly 0:
     * relative error exactly 1.
     */
    @Test
    void labelGradientRelativeErrorAgainstAnIndependentReference() {
        ProbeGridConfig two = ProbeGridKeys.resolve(Json.mapper().createObjectNode().put("classes", 2)
                .put("logitScale", 0).put("labelProbability", 0.9).put("paths", "fused").put("precision", "fp64"));
        ProbeRowSummary f = ProbeGridRuns.evaluate(two).get(0);
        double g = -0.09947021388210707;
        assertEquals(Math.abs(f.labelGradient() - g) / Math.abs(g), f.labelGradientRelativeError(), 1e-3 * 0x1p-52);
        assertTrue(f.labelGradientRelativeError() <= 4 * 0x1p-53, f.toString());
        var o = Json.mapper().createObjectNode().put("classes", 10).put("logitScale", 0)
                .put("labelProbability", 0.99999).put("precision", "bf16");
        o.putArray("paths").add("fused").add("fused-lowp-grad");
        ProbeGridConfig ten = ProbeGridKeys.resolve(o);
        List<ProbeRowSummary> s = ProbeGridRuns.evaluate(ten);
        double g10 = -1.0228980388907556e-5;
        ProbeRowSummary fused = s.get(0);
        ProbeRowSummary lowp = s.get(1);
        assertEquals(Math.abs(fused.labelGradient() - g10) / Math.abs(g10), fused.labelGradientRelativeError(),
                1e-9);
        assertTrue(fused.labelGradientRelativeError() <= 4 * 0x1p-8, fused.toString());
        assertEquals(0.0, lowp.labelGradient());
        assertEquals(1.0, lowp.labelGradientRelativeError());
    }

    /**
     * Chunk size and chunk carry change how fused-chunked computes the cross-entropy, not the cross-entropy: its rows
     * keep the exact reference. The 3-class row of {@link #metricsAgainstAnIndependentReference} in chunks of 1 with
     * an fp64 carry: mpmath's loss 0.5362353824257113 (50 digits, rounded to double).
     */
    @Test
    void chunkOptionsKeepTheExactReference() {
        ProbeGridConfig c = ProbeGridKeys.resolve(Json.mapper().createObjectNode().put("classes", 3)
                .put("logitScale", 2).put("confidence", 0.5).put("seed", 7).put("paths", "fused-chunked")
                .put("precision", "fp64").put("chunkSize", 1).put("chunkCarry", "fp64"));
        ProbeRowSummary s = ProbeGridRuns.evaluate(c).get(0);
        double loss = 0.5362353824257113;
        assertEquals(Math.abs(s.loss() - loss) / Math.ulp(loss), s.lossUlpsVsExact(), 1e-12);
        assertTrue(s.lossUlpsVsExact() <= 4, s.toString());
    }
    /**
     * The softcap, class weights and z-loss are in the exact reference, so a probe grid with them still measures each
     * path against the truth. The 3-class row above with softcap 2, z-loss 1e-2 and weights 2,0.5,1 (label 0): mpmath
     * (50 digits) gives the row loss w_0·(lse - z'_0) + λ·lse² = 1.50164523095089681789562044257 and dL/dz_0 =
     * -0.42530931240248654702923891289, which the grid's mean (core's default reduction) over the one row divides by
     * D = w_0 = 2.
     */
    @Test
    void softcapWeightsAndZLossAreInTheExactReference() {
        var o = Json.mapper().createObjectNode().put("classes", 3).put("logitScale", 2).put("confidence", 0.5)
                .put("seed", 7).put("paths", "fused").put("precision", "fp64").put("softcap", 2.0)
                .put("zLoss", 1e-2);
        o.putArray("classWeights").add(2).add(0.5).add(1);
        ProbeGridConfig c = ProbeGridKeys.resolve(o);
        ProbeRowSummary s = ProbeGridRuns.evaluate(c).get(0);
        double loss = 1.5016452309508968;
        double g0 = -0.42530931240248654702923891289 / 2;
        assertEquals(Math.abs(s.loss() - loss) / Math.ulp(loss), s.lossUlpsVsExact(), 1e-12);
        assertTrue(s.lossUlpsVsExact() <= 4, s.toString());
        assertEquals(Math.abs(s.labelGradient() - g0) / Math.ulp(g0), s.labelGradientUlpsVsExact(), 1e-9);
        assertTrue(s.labelGradientUlpsVsExact() <= 8, s.toString());
    }
}
