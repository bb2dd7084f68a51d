package dev.softmaxlab.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.spec.ExperimentSpec;
import dev.softmaxlab.experiments.spec.SpecLoader;
import dev.softmaxlab.experiments.spec.SpecTexts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepTest {

    @TempDir
    Path tmp;

    private static final ExperimentSpec SPEC = SpecLoader.parse(SpecTexts.SMALL, "small");
    private static final List<String> CMD = List.of("sweep", "small.json");

    private static JsonNode summary(Path dir) throws IOException {
        return Json.mapper().readTree(dir.resolve("summary.json").toFile());
    }

    private static JsonNode stable(Path dir) throws IOException {
        return SweepSummary.stable(summary(dir));
    }

    private Sweep.Result sweep(RunExecutor runner, SweepOptions options, Path dir) throws Exception {
        return new Sweep(runner, SweepListener.NONE).run(SPEC, options, dir, CMD);
    }

    private static SweepOptions opts(int jobs, Shard shard, boolean resume) {
        return new SweepOptions(jobs, shard, resume, false);
    }

    @Test
    void writesOneResultFilePerRunAndASummaryWithVerdicts() throws Exception {
        Path dir = tmp.resolve("out");
        FakeRunner runner = new FakeRunner();
        Sweep.Result r = sweep(runner, opts(2, Shard.ALL, false), dir);
        assertEquals(6, runner.calls.get());
        assertEquals(6, r.executed());
        try (Stream<Path> files = Files.list(dir.resolve("runs"))) {
            assertEquals(6, files.filter(p -> p.getFileName().toString().matches("[0-9a-f]{12}\\.json")).count());
        }
        JsonNode s = summary(dir);
        assertEquals("softmaxlab.sweep/1", s.get("schema").asText());
        assertEquals(6, s.get("runs").size());
        assertTrue(s.get("ok").asBoolean());
        assertEquals("pass", s.get("expectations").get(1).get("status").asText());
        assertEquals(4, s.get("expectations").get(1).get("checked").asInt()); // naive at 100 and 1000, two lrs
        for (int i = 0; i < 6; i++) {
            assertEquals(i, s.get("runs").get(i).get("index").asInt());
        }
        // CSV: header + one row per run × path (2 paths × 1 precision)
        List<String> csv = Files.readAllLines(dir.resolve("summary.csv"));
        assertEquals(1 + 12, csv.size());
        assertTrue(csv.get(0).startsWith("runId,index,runStatus,error,path,precision,dataset,"));
        List<String> header = List.of(csv.get(0).split(","));
        assertEquals(header.size(), new java.util.HashSet<>(header).size(), "column names are unique: " + header);
        int precision = header.indexOf("precision");
        int logitScale = header.indexOf("logitScale");
        int nan = header.indexOf("events.loss.nan");
        List<String> last = List.of(csv.get(12).split(",", -1));
        assertEquals("fp32", last.get(precision));
        assertEquals("separate-naive", last.get(header.indexOf("path")));
        assertEquals("1000.0", last.get(logitScale));
        assertEquals("5", last.get(nan));
        assertEquals("NaN", last.get(header.indexOf("finalTrainLoss")));
        assertEquals("", last.get(header.indexOf("error")));
    }

    @Test
    void resultsDoNotDependOnTheNumberOfJobs() throws Exception {
        sweep(new FakeRunner(), opts(1, Shard.ALL, false), tmp.resolve("j1"));
        sweep(new FakeRunner(), opts(4, Shard.ALL, false), tmp.resolve("j4"));
        assertEquals(stable(tmp.resolve("j1")), stable(tmp.resolve("j4")));
        assertEquals(Files.readString(tmp.resolve("j1/summary.csv")), Files.readString(tmp.resolve("j4/summary.csv")));
    }

    @Test
    void threeShardsMergedEqualTheUnshardedSweep() throws Exception {
        sweep(new FakeRunner(), opts(2, Shard.ALL, false), tmp.resolve("all"));
        int total = 0;
        for (int i = 1; i <= 3; i++) {
            FakeRunner runner = new FakeRunner();
            sweep(runner, opts(1, new Shard(i, 3), false), tmp.resolve("s" + i));
            assertEquals(2, runner.calls.get());
            total += summary(tmp.resolve("s" + i)).get("runs").size();
            assertEquals(i, summary(tmp.resolve("s" + i)).get("shard").get("index").asInt());
        }
        assertEquals(6, total);
        SweepMerge.merge(List.of(tmp.resolve("s3"), tmp.resolve("s1"), tmp.resolve("s2")), tmp.resolve("merged"),
                List.of("merge"));
        assertEquals(stable(tmp.resolve("all")), stable(tmp.resolve("merged")));
        assertEquals(Files.readString(tmp.resolve("all/summary.csv")), Files.readString(tmp.resolve("merged/summary.csv")));
        try (Stream<Path> a = Files.list(tmp.resolve("all/runs")); Stream<Path> m = Files.list(tmp.resolve("merged/runs"))) {
            assertEquals(a.map(p -> p.getFileName().toString()).sorted().toList(),
                    m.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void shardsAreDisjointAndCoverTheGrid() {
        for (int n = 1; n <= 7; n++) {
            for (int i = 0; i < 20; i++) {
                int owners = 0;
                for (int k = 1; k <= n; k++) {
                    owners += new Shard(k, n).includes(i) ? 1 : 0;
                }
                assertEquals(1, owners);
            }
        }
    }

    @Test
    void mergeRefusesMixedSpecsAndMissingShards() throws Exception {
        sweep(new FakeRunner(), opts(1, new Shard(1, 2), false), tmp.resolve("a1"));
        ExperimentSpec other = SpecLoader.parse(SpecTexts.renamed("other"), "other");
        new Sweep(new FakeRunner(), SweepListener.NONE).run(other, opts(1, new Shard(2, 2), false), tmp.resolve("b2"), CMD);
        InvalidInputException mixed = assertThrows(InvalidInputException.class,
                () -> SweepMerge.merge(List.of(tmp.resolve("a1"), tmp.resolve("b2")), tmp.resolve("m"), CMD));
        assertTrue(mixed.getMessage().contains("different specs"), mixed.getMessage());
        InvalidInputException missing = assertThrows(InvalidInputException.class,
                () -> SweepMerge.merge(List.of(tmp.resolve("a1")), tmp.resolve("m"), CMD));
        assertTrue(missing.getMessage().contains("grid points [1, 3, 5]"), missing.getMessage());
        assertFalse(Files.exists(tmp.resolve("m/summary.json")));
    }

    @Test
    void resumeSkipsValidResultsAndRerunsCorruptOnes() throws Exception {
        Path dir = tmp.resolve("r");
        sweep(new FakeRunner(), opts(2, Shard.ALL, false), dir);
        JsonNode before = stable(dir);
        List<Path> files;
        try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
            files = s.sorted().toList();
        }
        Files.writeString(files.get(0), "{\"schema\":\"softmaxlab.report/1\",\"config\":{"); // truncated
        Files.writeString(files.get(1), "[]"); // parses, wrong shape
        JsonNode third = Json.mapper().readTree(files.get(2).toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) third.get("config")).put("seed", 7); // another config
        Files.writeString(files.get(2), third.toString());
        Files.delete(files.get(3));
        FakeRunner runner = new FakeRunner();
        Sweep.Result r = sweep(runner, opts(2, Shard.ALL, true), dir);
        assertEquals(4, runner.calls.get());
        assertEquals(4, r.executed());
        assertEquals(2, r.resumed());
        assertEquals(before, stable(dir));
        FakeRunner again = new FakeRunner();
        sweep(again, opts(2, Shard.ALL, true), dir);
        assertEquals(0, again.calls.get());
    }

    /** A crash after k runs (an Error escapes the worker, as a killed JVM would stop) and a stale temporary file. */
    @Test
    void aSweepKilledMidwayAndResumedGivesTheSameSummary() throws Exception {
        sweep(new FakeRunner(), opts(1, Shard.ALL, false), tmp.resolve("whole"));
        Path dir = tmp.resolve("killed");
        AtomicInteger n = new AtomicInteger();
        RunExecutor dying = c -> {
            if (n.incrementAndGet() > 2) {
                throw new OutOfMemoryError("simulated kill");
            }
            return FakeRunner.report(c);
        };
        assertThrows(IllegalStateException.class, () -> sweep(dying, opts(1, Shard.ALL, false), dir));
        assertFalse(Files.exists(dir.resolve("summary.json")));
        Path stale = dir.resolve("runs").resolve("." + "0123456789ab" + ".json.123.tmp");
        Files.writeString(stale, "{\"schema\":");
        FakeRunner runner = new FakeRunner();
        sweep(runner, opts(1, Shard.ALL, true), dir);
        assertEquals(4, runner.calls.get());
        assertFalse(Files.exists(stale));
        assertEquals(stable(tmp.resolve("whole")), stable(dir));
    }

    @Test
    void aRunThatThrowsIsRecordedAndTheSweepGoesOn() throws Exception {
        Path dir = tmp.resolve("f");
        FakeRunner runner = new FakeRunner(c -> c.model().logitScale() == 100 && c.optimizer().lr() == 0.5);
        Sweep.Result r = sweep(runner, opts(2, Shard.ALL, false), dir);
        assertEquals(6, runner.calls.get());
        assertEquals(1, r.summary().failedRuns().size());
        JsonNode s = summary(dir);
        assertFalse(s.get("ok").asBoolean());
        assertEquals(1, s.get("failures").size());
        assertEquals("IllegalStateException: fake failure at logitScale 100.0", s.get("failures").get(0).get("message").asText());
        JsonNode failed = s.get("runs").get(4); // lr 0.5 (second), logitScale 100 (second of three)
        assertEquals("failed", failed.get("status").asText());
        assertEquals(0, failed.get("results").size());
        assertFalse(Files.exists(dir.resolve("runs").resolve(failed.get("id").asText() + ".json")));
        assertTrue(Files.readString(dir.resolve("summary.csv")).contains(",failed,IllegalStateException: fake failure"));
        // resume re-runs only the failed one
        FakeRunner fixed = new FakeRunner();
        sweep(fixed, opts(2, Shard.ALL, true), dir);
        assertEquals(1, fixed.calls.get());
        assertTrue(summary(dir).get("ok").asBoolean());
    }

    @Test
    void aFailedExpectationMakesTheSummaryNotOkAndNamesTheRuns() throws Exception {
        ExperimentSpec spec = SpecLoader.parse(SpecTexts.SMALL.replace("\"equals\":0", "\"equals\":0},"
                + "{\"where\":{\"path\":\"separate-naive\"},\"metric\":\"totalNonFinite\",\"equals\":0"), "s");
        Path dir = tmp.resolve("x");
        Sweep.Result r = new Sweep(new FakeRunner(), SweepListener.NONE).run(spec, opts(2, Shard.ALL, false), dir, CMD);
        assertFalse(r.summary().ok());
        assertEquals(1, r.summary().failedExpectations().size());
        JsonNode v = summary(dir).get("expectations").get(1);
        assertEquals("fail", v.get("status").asText());
        assertEquals(4, v.get("violations").size());
        String runId = v.get("violations").get(0).get("runId").asText();
        assertEquals(100.0, v.get("violations").get(0).get("point").get("logitScale").asDouble());
        assertEquals(10, v.get("violations").get(0).get("actual").asInt());
        assertTrue(Files.exists(dir.resolve("runs").resolve(runId + ".json")));
    }

    @Test
    void nothingIsWrittenOutsideTheOutputDirectoryWhateverTheSpecName() throws Exception {
        Path root = tmp.resolve("root");
        Path dir = root.resolve("a/b/out");
        Files.createDirectories(dir);
        ExperimentSpec evil = SpecLoader.parse(SpecTexts.renamed("../../etc/passwd"), "evil");
        new Sweep(new FakeRunner(), SweepListener.NONE).run(evil, opts(2, Shard.ALL, false), dir, CMD);
        try (Stream<Path> all = Files.walk(root)) {
            List<Path> outside = all.filter(Files::isRegularFile).filter(p -> !p.startsWith(dir)).toList();
            assertEquals(List.of(), outside);
        }
        assertEquals("../../etc/passwd", summary(dir).get("spec").get("name").asText());
    }

    @Test
    void gridPointsThatSmokeMakesEqualAreAUserError() {
        // 100 and 200 steps both become 60; logging every step, the two configs are then equal
        ExperimentSpec spec = SpecLoader.parse(SpecTexts.SMALL.replace("\"lr\":[0.1,0.5]", "\"steps\":[100,200]")
                .replace("\"steps\":20", "\"logEvery\":1,\"evalEvery\":1"), "s");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new Sweep(new FakeRunner(),
                SweepListener.NONE).run(spec, new SweepOptions(1, Shard.ALL, false, true), tmp.resolve("x"), CMD));
        assertTrue(e.getMessage().contains("become the same run under --smoke"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("x")));
    }

    @Test
    void smokeCapsStepsAndScalesIntervals() throws Exception {
        Path dir = tmp.resolve("smoke");
        ExperimentSpec spec = SpecLoader.parse(SpecTexts.SMALL.replace("\"steps\":20", "\"steps\":600,\"logEvery\":10,"
                + "\"evalEvery\":100"), "s");
        FakeRunner runner = new FakeRunner();
        new Sweep(runner, SweepListener.NONE).run(spec, new SweepOptions(1, Shard.ALL, false, true), dir, CMD);
        for (var c : runner.seen) {
            assertEquals(60, c.steps());
            assertEquals(1, c.logEvery());
            assertEquals(10, c.evalEvery());
        }
        assertTrue(summary(dir).get("smoke").asBoolean());
    }
}
