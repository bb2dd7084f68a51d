package dev.softmaxlab.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.core.loss.LossPaths;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.report.Provenance;
import dev.softmaxlab.experiments.schema.SchemaCheck;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BenchTest {

    private static BenchConfig tiny(List<BenchShape> shapes, List<String> paths, BenchConfig.Variants variants,
            boolean dense) {
        return new BenchConfig(shapes, paths.stream().map(LossPaths::byId).toList(),
                List.of(PrecisionSpec.of(Precision.FP32), PrecisionSpec.of(Precision.FP64)), dense, 2, variants, 0, 1,
                0.0, 42L);
    }

    private static Provenance provenance() {
        return Provenance.capture("test", List.of("bench"), Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void shapesParseAndBadShapesNameTheValueAndTheFix() {
        assertEquals(new BenchShape(4096, 1000), BenchShape.parse("4096x1000"));
        for (String bad : List.of("0x5", "5x0", "-3x5", "3x-5", "abc", "4096", "x5", "4096x", "1.5x3")) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> BenchShape.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("--shape "), e.getMessage());
            assertTrue(e.getMessage().contains("e.g. 4096x1000"), e.getMessage());
        }
        InvalidInputException huge = assertThrows(InvalidInputException.class,
                () -> BenchShape.parse("100000x100000"));
        assertTrue(huge.getMessage().contains("10000000000 elements"), huge.getMessage());
    }

    @Test
    void zeroIterationsIsBadInput() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new BenchConfig(
                List.of(new BenchShape(2, 3)), LossPaths.all(), List.of(PrecisionSpec.of(Precision.FP64)), false, 1,
                BenchConfig.Variants.FAST, 0, 0, 0.0, 1L));
        assertEquals("--iterations 0: must be at least 1 (one timed evaluation), e.g. 10", e.getMessage());
    }

    @Test
    void aShapeTooBigForTheHeapSaysWhatItNeedsAndSuggestsXmx() {
        BenchConfig config = tiny(List.of(new BenchShape(40_000, 50_000)), List.of("fused"),
                BenchConfig.Variants.FAST, false);
        // 2e9 elements × 8 bytes × 3 buffers = 48 GB, against a 4 GiB heap
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Bench.checkMemory(config, 4L << 30));
        assertTrue(e.getMessage().startsWith("--shape 40000x50000 needs about 48.0 GB of heap"), e.getMessage());
        assertTrue(e.getMessage().contains("-Xmx57g"), e.getMessage()); // 48e9 / 0.8 = 55.9 GiB, rounded up, + 1
        Bench.checkMemory(tiny(List.of(new BenchShape(4096, 1000)), List.of("fused"), BenchConfig.Variants.FAST,
                false), 4L << 30); // 98 MB fits
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aTinyRunChecksBitsFirstAndReportsEveryCombinationAsTheSchemaSays(boolean dense) throws Exception {
        BenchConfig config = tiny(List.of(new BenchShape(5, 37), new BenchShape(1, 1)),
                List.of("fused", "separate"), BenchConfig.Variants.BOTH, dense);
        BenchReport report = Bench.run(config, provenance(), line -> { });
        assertTrue(report.checksPassed());
        // fused and separate have fast kernels: one check per path, shape and precision
        assertEquals(8, report.bitChecks().size());
        report.bitChecks().forEach(c -> assertNull(c.firstDifference()));
        // 2 shapes × 2 precisions × 2 paths × (fast + reference)
        assertEquals(16, report.results().size());
        for (BenchReport.Result r : report.results()) {
            assertEquals(1, r.evaluations());
            assertTrue(r.nsPerElementMedian() > 0 && r.nsPerElementMin() <= r.nsPerElementMedian()
                    && r.nsPerElementMedian() <= r.nsPerElementMax(), r.toString());
            if (r.path().equals("fused")) {
                assertEquals(1.0, r.ratioToFused());
            }
        }
        JsonNode json = Json.mapper().valueToTree(report);
        assertEquals(List.of(), SchemaCheck.errors("bench", json));
        assertEquals("softmaxlab.bench/1", json.get("schema").asText());
    }

    @Test
    void aCombinationWithoutAFastKernelSaysReferenceAndHasNoBitCheck() throws Exception {
        // no path has a fast kernel for bf16 accumulated in fp64: both run, and must report, their reference
        BenchConfig config = new BenchConfig(List.of(new BenchShape(3, 17)),
                List.of(LossPaths.byId("double-softmax"), LossPaths.byId("fused")),
                List.of(new PrecisionSpec(Precision.BF16, Precision.FP64), PrecisionSpec.of(Precision.FP64)), false,
                1, BenchConfig.Variants.BOTH, 0, 1, 0.0, 42L);
        BenchReport report = Bench.run(config, provenance(), line -> { });
        assertTrue(report.checksPassed());
        List<String> checked = report.bitChecks().stream().map(c -> c.path() + " " + c.precision()).toList();
        assertEquals(List.of("double-softmax fp64", "fused fp64"), checked); // nothing in bf16
        List<String> ran = report.results().stream()
                .map(r -> r.precision() + " " + r.path() + " " + r.kernel()).toList();
        assertEquals(List.of("bf16 double-softmax reference", "bf16 fused reference",
                "fp64 double-softmax scalar", "fp64 double-softmax reference", "fp64 fused scalar",
                "fp64 fused reference"), ran);
        // bf16 double-softmax has one timing, the reference, and it is in the fast group: its ratio is to fused's
        // timing in that group, here fused's reference too
        BenchReport.Result bf16 = report.results().get(0);
        assertEquals(bf16.nsPerElementMedian() / report.results().get(1).nsPerElementMedian(), bf16.ratioToFused());
        assertEquals(List.of(), SchemaCheck.errors("bench", Json.mapper().valueToTree(report)));
    }

    @Test
    void withoutFusedThereIsNoRatio() {
        BenchReport report = Bench.run(tiny(List.of(new BenchShape(2, 3)), List.of("separate"),
                BenchConfig.Variants.FAST, false), provenance(), line -> { });
        assertEquals(2, report.bitChecks().size()); // separate has a fast kernel: checked in fp32 and fp64 all the same
        report.results().forEach(r -> assertNull(r.ratioToFused()));
    }

    @Test
    void theSampleSpreadsOverTheBatchAndMatchesTheFullInput() {
        BenchConfig config = tiny(List.of(new BenchShape(100, 7)), List.of("fused"), BenchConfig.Variants.FAST,
                false);
        var full = Bench.input(new BenchShape(100, 7), config, 100);
        var sample = Bench.input(new BenchShape(100, 7), config, 4);
        int[] rows = {0, 25, 50, 75};
        for (int k = 0; k < 4; k++) {
            for (int j = 0; j < 7; j++) {
                assertEquals(full.logits()[rows[k] * 7 + j], sample.logits()[k * 7 + j]);
            }
        }
    }
}
