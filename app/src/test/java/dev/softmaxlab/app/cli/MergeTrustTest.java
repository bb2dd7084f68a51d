package dev.softmaxlab.app.cli;

import static dev.softmaxlab.app.cli.HostileInputTest.assertUserError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.experiments.report.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, class 4: merge and resume trust nothing they read. Two shards are swept for real, then one file is
 * tampered with; merge must refuse with exit 2 naming the file, and write nothing.
 */
class MergeTrustTest {

    @TempDir
    Path dir;

    private Path s1;
    private Path s2;
    private Path out;

    @BeforeEach
    void sweepTwoShards() throws IOException {
        Path spec = Files.writeString(dir.resolve("s.json"), SweepFixtures.SPEC);
        s1 = dir.resolve("s1");
        s2 = dir.resolve("s2");
        out = dir.resolve("merged");
        assertEquals(0, CliRun.of("sweep", spec.toString(), "-o", s1.toString(), "--shard", "1/2", "-q").code());
        assertEquals(0, CliRun.of("sweep", spec.toString(), "-o", s2.toString(), "--shard", "2/2", "-q").code());
    }

    private CliRun merge() {
        return CliRun.of("merge", s1.toString(), s2.toString(), "-o", out.toString());
    }

    private Path runFile(Path shard) throws IOException {
        try (Stream<Path> s = Files.list(shard.resolve("runs"))) {
            return s.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
        }
    }

    private static void edit(Path file, Consumer<ObjectNode> change) throws IOException {
        ObjectNode doc = (ObjectNode) Json.mapper().readTree(file.toFile());
        change.accept(doc);
        Files.writeString(file, Json.mapper().writeValueAsString(doc));
    }

    private void assertRefusedAndNothingWritten(CliRun r, String... fragments) {
        assertUserError(r, fragments);
        assertFalse(Files.exists(out), "nothing is written before everything is checked");
    }

    @Test
    void untamperedShardsMerge() {
        assertEquals(0, merge().code());
    }

    @Test
    void aRunFileThatIsASymlinkIsRefused() throws IOException {
        Path f = runFile(s1);
        Files.delete(f);
        Files.createSymbolicLink(f, Path.of("/etc/passwd"));
        assertRefusedAndNothingWritten(merge(), f.toString(), "symbolic link");
    }

    @Test
    void aDeletedRunFileIsNamed() throws IOException {
        Path f = runFile(s1);
        Files.delete(f);
        assertRefusedAndNothingWritten(merge(), f.toString(), "is missing");
    }

    @Test
    void aTruncatedRunFileIsNamed() throws IOException {
        Path f = runFile(s2);
        String text = Files.readString(f);
        Files.writeString(f, text.substring(0, text.length() / 2));
        assertRefusedAndNothingWritten(merge(), f.toString(), "truncated?");
    }

    @Test
    void anEditedNumberInARunFileIsCaughtByItsOwnSteps() throws IOException {
        Path f = runFile(s1);
        edit(f, d -> ((ObjectNode) d.get("runs").get(0).get("summary")).put("finalTestLoss", 0.001));
        assertRefusedAndNothingWritten(merge(), f.toString(), "finalTestLoss");
    }

    @Test
    void anEditedNumberInTheSummaryDisagreesWithTheRunFile() throws IOException {
        Path f = s1.resolve("summary.json");
        edit(f, d -> ((ObjectNode) d.get("runs").get(0).get("results").get(0).get("summary"))
                .put("finalTrainLoss", 0.001));
        assertRefusedAndNothingWritten(merge(), f.toString(), "differ from its file");
    }

    @Test
    void aGridSizeThatDisagreesWithTheRunsIsRefused() throws IOException {
        Path f = s2.resolve("summary.json");
        edit(f, d -> d.put("gridSize", 3));
        assertRefusedAndNothingWritten(merge(), f.toString(), "gridSize 3 disagrees with its spec's grid of 2");
    }

    @Test
    void tamperedRunEntriesAreRefusedNotCrashedOn() throws IOException {
        Path f = s1.resolve("summary.json");
        String original = Files.readString(f);
        edit(f, d -> ((ObjectNode) d.get("runs").get(0)).put("id", "../../x"));
        assertRefusedAndNothingWritten(merge(), f.toString(), "'../../x'");
        Files.writeString(f, original);
        edit(f, d -> ((ObjectNode) d.get("runs").get(0)).putArray("point").add(1).add(2));
        assertRefusedAndNothingWritten(merge(), f.toString(), "$.runs[0].point must be an object");
        Files.writeString(f, original);
        edit(f, d -> ((ObjectNode) d.get("runs").get(0)).putNull("config"));
        assertRefusedAndNothingWritten(merge(), f.toString(), "$.runs[0].config must be an object");
        Files.writeString(f, original);
        edit(f, d -> ((ObjectNode) d.get("runs").get(0).get("config")).put("seed", 7));
        assertRefusedAndNothingWritten(merge(), f.toString(), "is not that grid point");
        Files.writeString(f, original);
        edit(f, d -> d.remove("runs"));
        assertRefusedAndNothingWritten(merge(), f.toString(), "$.runs must be an array");
        Files.delete(f);
        assertRefusedAndNothingWritten(merge(), "has no summary.json");
    }

    @Test
    void resumeRefusesAReusedRunFileWhoseNumbersWereEdited() throws IOException {
        Path spec = dir.resolve("s.json");
        Path f = runFile(s1);
        edit(f, d -> ((ObjectNode) d.get("runs").get(0).get("summary")).put("stepsRun", 99));
        CliRun r = CliRun.of("sweep", spec.toString(), "-o", s1.toString(), "--shard", "1/2", "--resume", "-q");
        assertUserError(r, "--resume: " + f, "stepsRun 99");
    }

    @Test
    void resumeRefusesADirectoryWhereARunFileGoes() throws IOException {
        Path spec = dir.resolve("s.json");
        Path f = runFile(s1);
        Files.delete(f);
        Files.createDirectories(f.resolve("inside"));
        CliRun r = CliRun.of("sweep", spec.toString(), "-o", s1.toString(), "--shard", "1/2", "--resume", "-q");
        assertUserError(r, f.toString(), "is not a file");
    }

    @Test
    void resumeRemovesAStaleSummaryTemporary() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        Path stale = Files.writeString(s1.resolve(".summary.json.softmaxlab-" + p.pid() + "-x.tmp"), "{\"half");
        Path spec = dir.resolve("s.json");
        assertEquals(0, CliRun.of("sweep", spec.toString(), "-o", s1.toString(), "--shard", "1/2", "--resume", "-q")
                .code());
        assertFalse(Files.exists(stale));
        ArrayNode runs = (ArrayNode) Json.mapper().readTree(s1.resolve("summary.json").toFile()).get("runs");
        assertEquals(1, runs.size());
        JsonNode unused = runs.get(0);
        assertEquals("ok", unused.get("status").asText());
    }
}
