package dev.softmaxlab.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softmaxlab.experiments.report.Json;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.softmaxlab.experiments.schema.Schemas;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BenchCommandTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--shape 0x1000 | --shape 0x1000: rows and classes must be at least 1, e.g. 4096x1000",
        "--shape -4x1000 | --shape -4x1000: rows and classes must be at least 1, e.g. 4096x1000",
        "--shape 40000x50000 | --shape 40000x50000 needs about 48.0 GB of heap",
        "--paths fuzed | unknown path 'fuzed': expected one of fused, separate",
        "--iterations 0 | --iterations 0: must be at least 1 (one timed evaluation), e.g. 10",
        "--variant fastest | --variant 'fastest' is unknown: expected fast, reference or both",
        "--targets soft | --targets 'soft' is unknown: expected sparse or dense",
    })
    void badInputIsOneLineAndExitTwo(String args, String message) {
        CliRun r = CliRun.of(("bench --shape 2x3 " + args).split(" "));
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains(message), r.err());
        assertTrue(r.out().isEmpty(), r.out());
    }

    @Test
    void aTooBigShapeSuggestsMoreHeap() {
        CliRun r = CliRun.of("bench", "--shape", "40000x50000");
        assertTrue(r.err().contains("-Xmx"), r.err());
    }

    @Test
    void jsonFollowsTheSchemaAndSaysWhichKernelsRan() throws Exception {
        CliRun r = CliRun.of("bench", "--shape", "3x17", "--iterations", "1", "--warmup", "0", "--threads", "1",
                "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode json = Json.mapper().readTree(r.out());
        var schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(Json.mapper().readTree(Schemas.text("bench")));
        assertEquals(List.of(), schema.validate(json).stream().map(Object::toString).toList());
        assertEquals("scalar", json.at("/kernels/provider").asText()); // tests run without the vector module
        assertEquals(8, json.get("results").size()); // 4 paths × fp32, fp64
        assertEquals(8, json.get("bitChecks").size()); // every default path has a fast kernel: 4 paths × 2 precisions
        assertTrue(json.at("/bitChecks/0/identical").asBoolean());
    }

    @Test
    void aBf16DenseDoubleSoftmaxRunSaysItRanTheReference() {
        // double-softmax has no kernel for dense targets in bf16: asked for the fast variant, it runs (and must name)
        // its reference
        CliRun r = CliRun.of("bench", "--shape", "3x17", "--iterations", "1", "--warmup", "0", "--paths",
                "double-softmax", "--precision", "bf16,fp32", "--targets", "dense", "--variant", "fast");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("3x17   fp32       double-softmax  scalar     3  identical"), r.out());
        assertFalse(r.out().contains("bf16       double-softmax  scalar"), r.out());
        assertTrue(r.out().matches("(?s).*\\n3x17   bf16       double-softmax  reference +[0-9].*"), r.out());
        assertTrue(r.out().contains("no fast kernel, every row ran the reference (nothing to bit-check):"
                + " double-softmax bf16 3x17\n"), r.out());
    }

    @Test
    void textPrintsTheBitCheckBeforeTheTimings() {
        CliRun r = CliRun.of("bench", "--shape", "3x17", "--iterations", "1", "--warmup", "0", "--paths",
                "fused,separate", "--precision", "fp64");
        assertEquals(0, r.code(), r.err());
        int check = r.out().indexOf("bit check");
        int table = r.out().indexOf("ns/elem");
        assertTrue(check >= 0 && table > check, r.out());
        assertTrue(r.out().contains("3x17   fp64       fused     scalar     3  identical"), r.out());
        assertTrue(r.out().contains("3x17   fp64       separate  scalar     3  identical"), r.out());
        assertTrue(r.out().startsWith("kernels: scalar kernels: "), r.out());
    }
}
