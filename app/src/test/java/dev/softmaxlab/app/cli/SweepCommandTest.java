package dev.softmaxlab.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.schema.Schemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sweep and merge end to end with the real trainer, on a grid small enough to run in a second. */
class SweepCommandTest {

    /** 4 runs (logitScale × lr) of fused and separate-naive in fp32 on a small blobs set, 8 steps each. */
    private static final String SPEC = """
            {"schema":"softmaxlab.spec/1","name":"%s","description":"Does naive break at scale 100?",
             "base":{"dataset":"blobs","samples":120,"steps":8,"logEvery":2,"evalEvery":4,
                     "paths":["fused","separate-naive"],"precision":["fp32"]},
             "grid":{"logitScale":[1,100],"lr":[0.1,0.5]},
             "expect":[
               {"where":{"path":"fused"},"metric":"totalNonFinite","equals":0},
               {"where":{"path":"separate-naive","logitScale":100},"metric":"firstNonFiniteStep","lte":1},
               {"where":{"logitScale":1},"metric":"finalTrainLoss","finite":true}%s]}
            """;

    @TempDir
    Path dir;

    private Path spec(String name, String extraExpectation) throws IOException {
        Path p = dir.resolve(name.replaceAll("[^a-z]", "_") + ".json");
        Files.writeString(p, SPEC.formatted(name, extraExpectation));
        return p;
    }

    private static JsonNode stable(Path out) throws IOException {
        ObjectNode s = (ObjectNode) Json.mapper().readTree(out.resolve("summary.json").toFile());
        s.remove(List.of("provenance", "timing"));
        return s;
    }

    private static JsonSchema schema(String document) throws IOException {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(Json.mapper().readTree(Schemas.text(document)));
    }

    @Test
    void aPassingSweepExits0AndWritesValidDocuments() throws IOException {
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("sweep", spec("tiny", "").toString(), "-o", out.toString(), "--jobs", "2");
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals("", r.err());
        assertTrue(r.out().contains("'tiny': 4 runs"), r.out());
        JsonNode summary = Json.mapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(List.of(), schema("sweep").validate(summary).stream().map(Object::toString).toList());
        assertEquals(3, summary.get("counts").get("passedExpectations").asInt());
        JsonSchema report = schema("report");
        try (Stream<Path> files = Files.list(out.resolve("runs"))) {
            List<Path> runs = files.toList();
            assertEquals(4, runs.size());
            for (Path f : runs) {
                JsonNode doc = Json.mapper().readTree(f.toFile());
                assertEquals(List.of(), report.validate(doc).stream().map(Object::toString).toList(), f.toString());
            }
        }
        assertEquals(1 + 4 * 2, Files.readAllLines(out.resolve("summary.csv")).size());
    }

    @Test
    void theSummaryIsTheSameWhateverTheJobsAndAfterMergingThreeShards() throws IOException {
        Path spec = spec("tiny", "");
        assertEquals(0, CliRun.of("sweep", spec.toString(), "-o", dir.resolve("j1").toString(), "-j", "1").code());
        assertEquals(0, CliRun.of("sweep", spec.toString(), "-o", dir.resolve("j3").toString(), "-j", "3").code());
        assertEquals(stable(dir.resolve("j1")), stable(dir.resolve("j3")));
        for (int i = 1; i <= 3; i++) {
            CliRun s = CliRun.of("sweep", spec.toString(), "-o", dir.resolve("s" + i).toString(), "--shard", i + "/3");
            assertEquals(0, s.code(), s.out() + s.err());
        }
        CliRun m = CliRun.of("merge", dir.resolve("s1").toString(), dir.resolve("s2").toString(),
                dir.resolve("s3").toString(), "-o", dir.resolve("merged").toString());
        assertEquals(0, m.code(), m.out() + m.err());
        assertEquals(stable(dir.resolve("j1")), stable(dir.resolve("merged")));
        assertEquals(Files.readString(dir.resolve("j1/summary.csv")), Files.readString(dir.resolve("merged/summary.csv")));
    }

    @Test
    void resumeRunsNothingTwice() throws IOException {
        Path spec = spec("tiny", "");
        Path out = dir.resolve("r");
        assertEquals(0, CliRun.of("sweep", spec.toString(), "-o", out.toString()).code());
        JsonNode first = stable(out);
        CliRun again = CliRun.of("sweep", spec.toString(), "-o", out.toString(), "--resume");
        assertEquals(0, again.code(), again.err());
        JsonNode timing = Json.mapper().readTree(out.resolve("summary.json").toFile()).get("timing");
        assertEquals(0, timing.get("executed").asInt());
        assertEquals(4, timing.get("resumed").asInt());
        assertEquals(first, stable(out));
    }

    @Test
    void aFailedExpectationExits3AndNamesTheRuns() throws IOException {
        Path out = dir.resolve("f");
        CliRun r = CliRun.of("sweep", spec("tiny", ",{\"where\":{\"path\":\"separate-naive\"},"
                + "\"metric\":\"totalNonFinite\",\"equals\":0}").toString(), "-o", out.toString());
        assertEquals(3, r.code(), r.out() + r.err());
        assertEquals("softmaxlab: 1 of 4 expectations failed (see " + out.resolve("summary.json") + ")\n", r.err());
        JsonNode v = Json.mapper().readTree(out.resolve("summary.json").toFile()).get("expectations").get(3);
        assertEquals("fail", v.get("status").asText());
        assertEquals(2, v.get("violations").size()); // naive at scale 100, both learning rates
        for (JsonNode b : v.get("violations")) {
            assertTrue(r.out().contains("run " + b.get("runId").asText() + " separate-naive@fp32"), r.out());
            assertEquals(100.0, b.get("point").get("logitScale").asDouble());
        }
    }

    @Test
    void aRunThatFailsIsRecordedAndTheSweepGoesOn() throws IOException {
        Path spec = dir.resolve("csv.json");
        Files.writeString(spec, """
                {"schema":"softmaxlab.spec/1","name":"csv","description":"One dataset file is missing?",
                 "base":{"samples":120,"steps":4,"paths":["fused"]},
                 "grid":{"dataset":["blobs","csv:%s"]}}
                """.formatted(dir.resolve("missing.csv").toString().replace("\\", "/")));
        Path out = dir.resolve("c");
        CliRun r = CliRun.of("sweep", spec.toString(), "-o", out.toString());
        assertEquals(3, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("1 of 2 runs failed"), r.err());
        JsonNode s = Json.mapper().readTree(out.resolve("summary.json").toFile());
        assertEquals("ok", s.get("runs").get(0).get("status").asText());
        assertEquals("failed", s.get("runs").get(1).get("status").asText());
        assertTrue(s.get("failures").get(0).get("message").asText().contains("missing.csv"), s.toString());
    }

    @Test
    void aHostileSpecNameWritesNothingOutsideTheOutputDirectory() throws IOException {
        Path out = dir.resolve("a/b/out");
        Files.createDirectories(out.getParent()); // -o creates DIR, not its missing parents
        CliRun r = CliRun.of("sweep", spec("../../../escaped", "").toString(), "-o", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        try (Stream<Path> all = Files.walk(dir)) {
            List<Path> outside = all.filter(Files::isRegularFile)
                    .filter(p -> !p.startsWith(out) && !p.getFileName().toString().endsWith("escaped.json")).toList();
            assertEquals(List.of(), outside);
        }
    }
}
