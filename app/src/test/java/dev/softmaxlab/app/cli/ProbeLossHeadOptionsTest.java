package dev.softmaxlab.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.schema.Schemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** probe's loss-head flags: --ignore-index, --class-weights, --z-loss, --softcap, --chunk-size, --chunk-carry. */
class ProbeLossHeadOptionsTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--class-weights 1,0,2                           | --class-weights: class weight 0.0 of class 1 is invalid",
        "--class-weights 1,-2,2                          | --class-weights: class weight -2.0 of class 1 is invalid",
        "--class-weights 1,nan,2                         | 'nan' is not a number",
        "--class-weights 1,2                             | class weights has 2 values but the logits have 3 classes",
        "--ignore-index 1                                | ignore index 1 is a class index of the 3 classes",
        "--z-loss -1e-4                                  | --z-loss: z-loss -1.0E-4 is out of range",
        "--softcap 0                                     | --softcap: softcap 0.0 is out of range",
        "--softcap -30                                   | --softcap: softcap -30.0 is out of range",
        "--paths fused-chunked --chunk-size 0            | --chunk-size: chunk size 0 is out of range",
        "--paths fused-chunked --precision fp32 --chunk-carry fp16 | chunk carry fp16 is narrower than the compute precision fp32",
        "--chunk-size 64                                 | chunkSize = 64 cannot apply to paths fused, separate",
        "--paths fused,separate --chunk-carry fp64       | chunkCarry = fp64 cannot apply to paths fused, separate",
        "--paths fused --eps 1e-3                        | clipEpsilon = 0.001 cannot apply to path fused",
        "--class-weights 1,2,Infinity                    | 'Infinity' is not finite",
    })
    void badValuesExit2WithOneLine(String args, String expected) {
        String[] extra = args.trim().split(" +");
        String[] argv = new String[5 + extra.length];
        System.arraycopy(new String[] {"probe", "--logits", "1,2,3", "--label", "0"}, 0, argv, 0, 5);
        System.arraycopy(extra, 0, argv, 5, extra.length);
        CliRun r = CliRun.of(argv);
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertEquals("", r.out(), "nothing written");
    }

    @Test
    void theJsonConfigNamesEveryOptionAndMatchesTheSchema() throws IOException {
        CliRun r = CliRun.of("probe", "--logits", "1000,0,-1000", "--label", "1", "--format", "json", "--paths",
                "fused,fused-chunked", "--precision", "bf16", "--class-weights", "1,2,0.5", "--z-loss", "1e-4",
                "--softcap", "30", "--chunk-size", "2", "--chunk-carry", "bf16", "--ignore-index", "-1");
        assertEquals(0, r.code(), r.err());
        JsonNode doc = Json.mapper().readTree(r.out());
        JsonNode config = doc.get("config");
        assertEquals(-1, config.get("ignoreIndex").asInt());
        assertEquals("[1.0,2.0,0.5]", config.get("classWeights").toString());
        assertEquals(1e-4, config.get("zLoss").asDouble());
        assertEquals(30.0, config.get("softcap").asDouble());
        assertEquals(2, config.get("chunkSize").asInt());
        assertEquals("bf16", config.get("chunkCarry").asText());
        JsonNode fused = doc.get("cases").get(0).get("results").get(0);
        assertEquals(2, fused.get("events").get("saturated").asInt(), "tanh(±1000/30) rounds to ±1");
        // the loss is w_1·lse(30, 0, -30) + 1e-4·lse² (lse ≈ 30.0), in bf16: 2·30 + 0.09 = 60.09 → 60.0
        assertEquals(60.0, fused.get("loss").asDouble());
        assertEquals(List.of(), JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(Json.mapper().readTree(Schemas.text("probe"))).validate(doc).stream()
                .map(Object::toString).toList());
        // and without any option, every field is there at its default
        JsonNode plain = Json.mapper().readTree(CliRun.of("probe", "--logits", "1,2", "--label", "0", "--format",
                "json").out()).get("config");
        assertEquals(-100, plain.get("ignoreIndex").asInt());
        assertTrue(plain.get("classWeights").isNull());
        assertEquals(0.0, plain.get("zLoss").asDouble());
        assertTrue(plain.get("softcap").isNull());
        assertEquals(4096, plain.get("chunkSize").asInt());
        assertTrue(plain.get("chunkCarry").isNull());
    }

    @Test
    void theTextHeaderShowsTheOptionsInForce() {
        CliRun r = CliRun.of("probe", "--logits", "1,2,3", "--label", "0", "--class-weights", "1,2,0.5",
                "--z-loss", "1e-4", "--softcap", "30", "--ignore-index", "-1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("loss head: ignoreIndex -1, classWeights 1.0,2.0,0.5, zLoss 1.0E-4, "
                + "softcap 30.0\n\ncase 0:"), r.out());
        CliRun plain = CliRun.of("probe", "--logits", "1,2,3", "--label", "0");
        assertTrue(plain.out().startsWith("case 0:"), "no header without options: " + plain.out());
    }

    @Test
    void jsonLinesMayCarryTheIgnoreIndex() throws IOException {
        Path f = dir.resolve("cases.jsonl");
        Files.writeString(f, "{\"logits\":[1,2,3],\"label\":2}\n{\"logits\":[1,2,3],\"label\":-1}\n");
        CliRun r = CliRun.of("probe", "--input", f.toString(), "--format", "jsonl", "--ignore-index", "-1");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        JsonNode ignored = Json.mapper().readTree(lines.get(1));
        for (JsonNode result : ignored.get("results")) {
            assertEquals(0.0, result.get("loss").asDouble(), result.toString());
            assertEquals(0.0, result.get("maxAbsGradient").asDouble(), result.toString());
            assertEquals(0, result.get("events").get("divByZero").asInt(), "one row, no reduction: no 0/0");
        }
        assertTrue(Json.mapper().readTree(lines.get(0)).get("results").get(0).get("loss").asDouble() > 0);
        // without --ignore-index, -1 is a label out of range, refused with the line
        CliRun bad = CliRun.of("probe", "--input", f.toString(), "--format", "jsonl");
        assertEquals(ExitCodes.BAD_INPUT, bad.code());
        assertTrue(bad.err().contains("line 2: \"label\" -1 is out of range for 3 classes"), bad.err());
        // the default ignore index, -100, is accepted as it is
        Files.writeString(f, "{\"logits\":[1,2,3],\"label\":-100}\n");
        assertEquals(0, CliRun.of("probe", "--input", f.toString()).code());
    }

    @Test
    void classWeightsMultiplyTheRowsLossAndGradientInTheProbe() throws IOException {
        // a probe case is its own row, never divided: with w = (1, 3) label 1 of (0, 0) gives 3 ln 2 and ±1.5
        JsonNode r = Json.mapper().readTree(CliRun.of("probe", "--logits", "0,0", "--label", "1", "--format", "jsonl",
                "--paths", "fused", "--precision", "fp64", "--class-weights", "1,3").out()).get("results").get(0);
        assertEquals(3 * Math.log(2), r.get("loss").asDouble(), 1e-15);
        assertEquals(1.5, r.get("maxAbsGradient").asDouble(), 1e-15);
    }
}
