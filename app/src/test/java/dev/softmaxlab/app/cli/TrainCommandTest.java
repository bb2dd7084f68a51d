package dev.softmaxlab.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.config.TrainConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainCommandTest {

    /** Small and quick; the large logit scale makes separate-naive overflow while fused trains. */
    private static final String[] BLOBS = {"train", "--dataset", "blobs", "--samples", "300", "--logit-scale", "100",
        "--steps", "60", "--log-every", "5", "--eval-every", "20", "--quiet"};

    private static String[] args(String[] base, String... more) {
        List<String> all = new ArrayList<>(List.of(base));
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }

    private static JsonNode json(String text) throws Exception {
        return Json.mapper().readTree(text);
    }

    @Test
    void everyConfigKeyIsAFlagAndEveryTrainFlagThatLooksLikeAKeyIsOne() {
        CommandLine train = new CommandLine(new RootCommand()).getSubcommands().get("train");
        Set<String> flags = new HashSet<>();
        train.getCommandSpec().options().forEach(o -> flags.add(o.longestName()));
        for (String key : TrainConfig.KEYS) {
            assertTrue(flags.contains(TrainConfig.flagOf(key)), "no flag for config key " + key);
        }
    }

    @Test
    void textTableShowsEveryRun() {
        CliRun r = CliRun.of(args(BLOBS, "--precision", "fp32,bf16"));
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        for (String path : dev.softmaxlab.core.loss.LossPaths.defaults().stream().map(p -> p.id()).toList()) {
            for (String p : List.of("fp32", "bf16")) {
                assertTrue(r.out().contains(path + "@" + p + " "), path + "@" + p + " missing:\n" + r.out());
            }
        }
        for (String line : r.out().split("\n")) {
            assertTrue(line.length() <= 100, "wider than 100 columns: " + line);
        }
        assertEquals("", r.err(), "--quiet: nothing on stderr");
    }

    @Test
    void doneWhenBlobsWithALargeLogitScaleInFp32() throws Exception {
        CliRun r = CliRun.of(args(BLOBS, "--precision", "fp32", "--format", "json"));
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        JsonNode runs = json(r.out()).get("runs");
        JsonNode fused = runs.get(0).get("summary");
        JsonNode naive = runs.get(2).get("summary");
        assertEquals("separate-naive@fp32", runs.get(2).get("id").asText());
        assertTrue(naive.get("firstNonFiniteStep").asInt() <= 5, naive.toString());
        assertTrue(fused.get("firstNonFiniteStep").isNull(), fused.toString());
        assertTrue(fused.get("finalTestAccuracy").asDouble() >= 0.9, fused.toString());
    }

    @Test
    void doneWhenDigitsMlpFusedReaches95PercentInFp32() throws Exception {
        CliRun r = CliRun.of("train", "--dataset", "digits", "--model", "mlp", "--hidden", "64", "--lr", "0.05",
                "--steps", "600", "--paths", "fused", "--precision", "fp32", "--format", "json", "--quiet");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        JsonNode s = json(r.out()).get("runs").get(0).get("summary");
        assertTrue(s.get("finalTestAccuracy").asDouble() >= 0.95, s.toString());
        assertEquals(0, s.get("totalNonFinite").asLong());
    }

    @Test
    void twoIdenticalInvocationsGiveIdenticalRuns() throws Exception {
        JsonNode a = json(CliRun.of(args(BLOBS, "--format", "json")).out());
        JsonNode b = json(CliRun.of(args(BLOBS, "--format", "json", "--threads", "1")).out());
        assertEquals(Json.mapper().writeValueAsString(a.get("runs")), Json.mapper().writeValueAsString(b.get("runs")));
        assertEquals(a.get("config"), b.get("config"));
        assertNotEquals(a.get("provenance").get("commandLine"), b.get("provenance").get("commandLine"));
    }

    @Test
    void configFromAReportReproducesItsRunsAndFlagsOverrideIt(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.json");
        CliRun first = CliRun.of(args(BLOBS, "--lr", "0.3", "--paths", "fused,separate", "--format", "json",
                "-o", report.toString()));
        assertEquals(ExitCodes.OK, first.code(), first.toString());
        assertEquals("", first.out(), "-o: nothing on stdout");
        JsonNode original = json(Files.readString(report));

        CliRun again = CliRun.of("train", "--config", report.toString(), "--format", "json", "--quiet");
        JsonNode reproduced = json(again.out());
        assertEquals(original.get("config"), reproduced.get("config"));
        assertEquals(Json.mapper().writeValueAsString(original.get("runs")),
                Json.mapper().writeValueAsString(reproduced.get("runs")));

        CliRun changed = CliRun.of("train", "--config", report.toString(), "--lr", "0.05", "--format", "json",
                "--quiet");
        JsonNode c = json(changed.out()).get("config");
        assertEquals(0.05, c.get("lr").asDouble(), "the flag overrides the file");
        assertEquals(60, c.get("steps").asInt(), "the rest comes from the file");
        assertEquals(100.0, c.get("logitScale").asDouble());
        assertEquals(2, c.get("paths").size());
        assertNotEquals(original.get("runs"), json(changed.out()).get("runs"));
    }

    @Test
    void standardizeFlagsSetWhatTheySay() throws Exception {
        // --no-standardize must turn it off and --standardize on, whatever the default is
        assertEquals(false, json(CliRun.of("train", "--no-standardize", "--print-config").out())
                .get("standardize").booleanValue());
        assertEquals(true, json(CliRun.of("train", "--standardize", "--print-config").out())
                .get("standardize").booleanValue());
        assertEquals(false, json(CliRun.of("train", "--standardize=false", "--print-config").out())
                .get("standardize").booleanValue());
        boolean byDefault = TrainConfig.DEFAULTS.data().standardize();
        assertEquals(byDefault, json(CliRun.of("train", "--print-config").out()).get("standardize").booleanValue());
        String help = CliRun.of("train", "--help").out().replaceAll("\\s+", " ");
        assertTrue(help.contains("std (default: " + byDefault + ")"), "the help shows the real default: " + help);
    }

    @Test
    void stepsGivenAsAFlagOverridesEpochsFromTheConfigFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.json");
        Files.writeString(file, "{\"epochs\": 2, \"paths\": [\"fused\"], \"precision\": [\"fp64\"]}");
        CliRun r = CliRun.of("train", "--config", file.toString(), "--steps", "7", "--format", "json", "--quiet");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        JsonNode report = json(r.out());
        assertEquals(7, report.get("runs").get(0).get("summary").get("stepsRun").asInt(), "the flag given wins");
        assertTrue(report.get("config").get("epochs").isNull(), report.get("config").toString());
        // on one command line --epochs still overrides --steps, as its help says
        JsonNode both = json(CliRun.of("train", "--config", file.toString(), "--steps", "7", "--epochs", "1",
                "--print-config").out());
        assertEquals(1, both.get("epochs").asInt());
    }

    @Test
    void aKeyGivenTwiceInTheConfigFileIsAnError(@TempDir Path dir) throws Exception {
        // as in specs: which of the two values was meant is not for the tool to guess
        Path file = dir.resolve("c.json");
        Files.writeString(file, "{\"lr\": 0.1,\n \"lr\": 0.2}");
        CliRun r = CliRun.of("train", "--config", file.toString(), "--print-config");
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
        assertEquals(1, r.err().strip().split("\n").length, r.err());
        assertTrue(r.err().contains("line 2") && r.err().contains("'lr'"), r.err());
    }

    @Test
    void aDirectoryAsTheOutputFileIsAUserErrorNamingIt(@TempDir Path dir) throws Exception {
        CliRun r = CliRun.of("train", "--steps", "2", "--paths", "fused", "--quiet", "--format", "json", "-o",
                dir.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
        assertEquals(1, r.err().strip().split("\n").length, r.err());
        assertTrue(r.err().contains("-o " + dir + " is a directory"), r.err());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "no temporary file left beside it");
        }
    }

    @Test
    void aBareConfigObjectWorksToo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.json");
        Files.writeString(file, "{\"steps\": 7, \"paths\": \"fused\"}");
        CliRun r = CliRun.of("train", "--config", file.toString(), "--print-config");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        JsonNode c = json(r.out());
        assertEquals(7, c.get("steps").asInt());
        assertEquals("[\"fused\"]", c.get("paths").toString());
        assertEquals(TrainConfig.KEYS.size(), c.size(), "the printed config is complete");
    }

    @Test
    void jsonlLinesAreStrictJsonWithTypeAndRun() throws Exception {
        CliRun r = CliRun.of(args(BLOBS, "--paths", "fused,separate-naive", "--format", "jsonl"));
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        String[] lines = r.out().split("\n");
        JsonNode start = json(lines[0]);
        assertEquals("start", start.get("type").asText());
        assertEquals("softmaxlab.trainEvents/1", start.get("schema").asText());
        Set<String> types = new HashSet<>();
        int steps = 0;
        for (int i = 1; i < lines.length; i++) {
            JsonNode o = json(lines[i]); // strict: a bare NaN would throw
            types.add(o.get("type").asText());
            assertTrue(o.get("runId").isTextual() && o.get("path").isTextual() && o.get("precision").isTextual(),
                    lines[i]);
            assertEquals(o.get("path").asText() + "@" + o.get("precision").asText(), o.get("runId").asText());
            if (o.get("type").asText().equals("step")) {
                steps++;
            }
        }
        assertEquals(Set.of("runStarted", "step", "eval", "summary", "timing"), types);
        assertEquals(2 * 13, steps, "steps 1, 5, 10, ..., 60 for each of two runs");
        assertTrue(r.out().contains("\"loss\":\"NaN\""), "separate-naive's NaN loss, as a string");
    }

    /**
     * Each step's meanLse is in the CSV, after the step's other metrics (so their order is unchanged), with the JSON
     * report's values; the text table's lse column is the run's finalMeanLse.
     */
    @Test
    void meanLseIsInTheCsvAndTheTextTable() throws Exception {
        CliRun csv = CliRun.of(args(BLOBS, "--paths", "fused", "--format", "csv"));
        CliRun js = CliRun.of(args(BLOBS, "--paths", "fused", "--format", "json"));
        CliRun text = CliRun.of(args(BLOBS, "--paths", "fused"));
        assertEquals(ExitCodes.OK, csv.code(), csv.toString());
        JsonNode run = json(js.out()).at("/runs/0");
        java.util.List<String> lines = csv.out().lines().toList();
        int checked = 0;
        for (JsonNode step : run.get("steps")) {
            String prefix = "fused@fp32,fused,fp32," + step.get("step").asInt() + ",";
            int at = lines.indexOf(prefix + "meanLse," + step.get("meanLse").asDouble());
            assertTrue(at > 0, prefix + "meanLse missing");
            assertTrue(lines.get(at - 1).startsWith(prefix + "error.gradientCosine,"), lines.get(at - 1));
            checked++;
        }
        assertTrue(checked > 1);
        String header = text.out().lines().filter(l -> l.contains("1st NF")).findFirst().orElseThrow();
        assertTrue(header.matches(".*acc +lse +1st NF.*"), header);
        double lse = run.at("/summary/finalMeanLse").asDouble();
        assertTrue(Double.isFinite(lse) && lse > 0, run.get("summary").toString());
        String row = text.out().lines().filter(l -> l.startsWith("fused@fp32")).findFirst().orElseThrow();
        assertTrue(row.contains(" " + dev.softmaxlab.app.output.Numbers.significant(lse, 4) + " "), row);
    }

    @Test
    void csvIsLongFormWithAHeaderAndSixColumns() {
        CliRun r = CliRun.of(args(BLOBS, "--paths", "fused,separate-naive", "--format", "csv"));
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        String[] lines = r.out().split("\n");
        assertEquals("run,path,precision,step,metric,value", lines[0]);
        Set<String> runs = new HashSet<>();
        Set<String> metrics = new HashSet<>();
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",", -1);
            assertEquals(6, cells.length, lines[i]);
            runs.add(cells[0]);
            metrics.add(cells[4]);
            assertTrue(cells[5].isEmpty() || cells[4].equals("firstNonFiniteStep")
                    || Double.isFinite(Double.parseDouble(cells[5])) || cells[5].matches("NaN|-?Infinity"), lines[i]);
        }
        assertEquals(Set.of("fused@fp32", "separate-naive@fp32"), runs);
        assertTrue(metrics.containsAll(Set.of("loss", "accuracy", "testAccuracy", "error.gradientCosine",
                "expOverflow", "finalTestAccuracy")), metrics.toString());
    }

    @Test
    void outputFileIsWrittenWhole(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("sub/run.csv");
        Files.createDirectories(out.getParent()); // -o does not create a missing directory
        CliRun r = CliRun.of(args(BLOBS, "--paths", "fused", "--format", "csv", "-o", out.toString()));
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        assertTrue(Files.readString(out, StandardCharsets.UTF_8).startsWith("run,path,precision,step,metric,value\n"));
        try (var files = Files.list(out.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void failOnHeldExitsThreeNamingTheConditionAndTheRun() {
        CliRun r = CliRun.of(args(BLOBS, "--paths", "fused,separate-naive", "--fail-on", "nonfinite:fused",
                "--fail-on", "nonfinite:separate-naive"));
        assertEquals(ExitCodes.CHECK_FAILED, r.code(), r.toString());
        String[] errLines = r.err().trim().split("\n");
        assertEquals(1, errLines.length, r.err());
        assertTrue(errLines[0].startsWith("softmaxlab: --fail-on nonfinite:separate-naive held for "
                + "separate-naive@fp32 (totalNonFinite = "), errLines[0]);
        assertTrue(r.out().contains("fused@fp32"), "the output is still written");
    }

    @Test
    void failOnComparisons() {
        assertEquals(ExitCodes.OK, CliRun.of(args(BLOBS, "--paths", "fused", "--fail-on",
                "test-accuracy<0.9:fused")).code());
        CliRun r = CliRun.of(args(BLOBS, "--paths", "fused", "--fail-on", "test-accuracy<=1.0:fused@fp32"));
        assertEquals(ExitCodes.CHECK_FAILED, r.code(), r.toString());
        assertTrue(r.err().contains("held for fused@fp32 (finalTestAccuracy = "), r.err());
        // a NaN metric fails any comparison gate
        CliRun nan = CliRun.of(args(BLOBS, "--paths", "separate-naive", "--fail-on", "test-loss>1e300"));
        assertEquals(ExitCodes.CHECK_FAILED, nan.code(), nan.toString());
    }

    @Test
    void badFailOnSyntaxExitsTwoWithOneLine() {
        for (String[] bad : List.of(
                new String[] {"test-acuracy<0.9:fused", "unknown metric 'test-acuracy' (did you mean 'test-accuracy'?)"},
                new String[] {"test-accuracy<high", "'high' is not a number"},
                new String[] {"nonfinite:", "nothing after ':'"},
                new String[] {"nan", "expected nonfinite, stopped, or METRIC<NUMBER"},
                new String[] {"nonfinite:fusd", "no run is 'fusd' (did you mean 'fused'?)"})) {
            CliRun r = CliRun.of("train", "--steps", "2", "--quiet", "--fail-on", bad[0]);
            assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
            assertOneLineError(r, bad[1]);
        }
    }

    @Test
    void badInputsExitTwoWithOneLineAndNoStackTrace(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.csv"), "");
        Path text = Files.writeString(dir.resolve("text.csv"), "a,b,label\n1,2,x\n3,oops,y\n5,6,x\n7,8,y\n");
        Path ok = Files.writeString(dir.resolve("ok.csv"), "a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n");
        List<String[]> cases = List.of(
                new String[] {"--dataset=blobz", "dataset = 'blobz'"},
                new String[] {"--lr=0", "lr = 0: must be a finite number > 0"},
                new String[] {"--lr=-1", "lr = -1: must be a finite number > 0"},
                new String[] {"--hidden=64,0", "hidden = [64, 0]: every layer size must be >= 1"},
                new String[] {"--dataset=csv:" + empty, "empty.csv"},
                new String[] {"--dataset=csv:" + text, "oops"},
                new String[] {"--dataset=csv:" + ok + ",--label-column=klass", "klass"},
                new String[] {"--dataset=csv:" + dir.resolve("missing.csv"), "missing.csv"},
                new String[] {"--precision=fp8", "fp8"},
                new String[] {"--eval-every=abc", "evalEvery = \"abc\": must be a whole number"},
                new String[] {"--lr=fast", "lr = \"fast\": must be a number"},
                new String[] {"--hidden=64,x,--model=mlp", "hidden = [64,\"x\"]: must be a list of whole numbers"});
        for (String[] c : cases) {
            List<String> a = new ArrayList<>(List.of("train", "--steps", "2", "--quiet"));
            a.addAll(List.of(c[0].split(",(?=--)")));
            CliRun r = CliRun.of(a.toArray(new String[0]));
            assertEquals(ExitCodes.BAD_INPUT, r.code(), c[0] + ": " + r);
            assertOneLineError(r, c[1]);
        }
    }

    @Test
    void aBadConfigFileNamesTheFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("c.json"), "{\"logitscale\": 3}");
        CliRun r = CliRun.of("train", "--config", file.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
        assertOneLineError(r, "--config " + file + ": unknown option 'logitscale': did you mean 'logitScale'?");
        Path broken = Files.writeString(dir.resolve("b.json"), "{\"lr\": 0.1,\n  oops}");
        CliRun b = CliRun.of("train", "--config", broken.toString());
        assertEquals(ExitCodes.BAD_INPUT, b.code(), b.toString());
        assertOneLineError(b, "not valid JSON at line 2");
        Path spec = Files.writeString(dir.resolve("s.json"), "{\"schema\": \"softmaxlab.spec/1\", \"base\": {}}");
        CliRun s = CliRun.of("train", "--config", spec.toString());
        assertEquals(ExitCodes.BAD_INPUT, s.code(), s.toString());
        assertOneLineError(s, "a softmaxlab.spec/1 document holds no \"config\"");
        Path array = Files.writeString(dir.resolve("a.json"), "[1, 2]");
        CliRun a = CliRun.of("train", "--config", array.toString());
        assertEquals(ExitCodes.BAD_INPUT, a.code(), a.toString());
        assertOneLineError(a, "expected a JSON object");
        Path empty = Files.writeString(dir.resolve("e.json"), "");
        CliRun e = CliRun.of("train", "--config", empty.toString());
        assertEquals(ExitCodes.BAD_INPUT, e.code(), e.toString());
        assertOneLineError(e, "is empty");
    }

    @Test
    void aFlagThatWouldChangeNothingIsRefusedSayingWhatWouldApply(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve("ok.csv"), "a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n");
        List<String[]> cases = List.of(
                new String[] {"--momentum=0.9", "--momentum needs --optimizer momentum, not sgd"},
                new String[] {"--beta1=0.8", "--beta1 needs --optimizer adam, not sgd"},
                new String[] {"--adam-eps=1e-6,--optimizer=momentum", "--adam-eps needs --optimizer adam, not momentum"},
                new String[] {"--dataset=csv:" + csv + ",--classes=3", "--classes needs --dataset blobs or spiral"},
                new String[] {"--dataset=csv:" + csv + ",--samples=100", "--samples needs --dataset blobs or spiral"},
                new String[] {"--dataset=spiral,--dimensions=3", "--dimensions needs --dataset blobs, not spiral"},
                new String[] {"--label-column=2", "--label-column needs --dataset csv:PATH, not blobs"},
                new String[] {"--hidden=8", "--hidden needs --model mlp, not linear"},
                new String[] {"--accumulate=fp64", "--accumulate needs --precision bf16 or fp16, not fp32"});
        for (String[] c : cases) {
            List<String> a = new ArrayList<>(List.of("train", "--print-config"));
            a.addAll(List.of(c[0].split(",(?=--)")));
            CliRun r = CliRun.of(a.toArray(new String[0]));
            assertEquals(ExitCodes.BAD_INPUT, r.code(), c[0] + ": " + r);
            assertOneLineError(r, c[1]);
        }
        // with what they need, the same flags are taken
        for (String[] ok : List.of(new String[] {"--momentum", "0.5", "--optimizer", "momentum"},
                new String[] {"--beta1", "0.8", "--adam-eps", "1e-6", "--optimizer", "adam"},
                new String[] {"--hidden", "8", "--model", "mlp"},
                new String[] {"--accumulate", "fp64", "--precision", "fp16"})) {
            List<String> a = new ArrayList<>(List.of("train", "--print-config"));
            a.addAll(List.of(ok));
            assertEquals(ExitCodes.OK, CliRun.of(a.toArray(new String[0])).code(), String.join(" ", ok));
        }
    }

    @Test
    void aPrintedConfigIsTakenBackWholeThoughItListsEveryKey(@TempDir Path dir) throws Exception {
        // a config file is the tool's own complete output: its unused keys (momentum with sgd) are not refused
        Path file = Files.writeString(dir.resolve("c.json"), CliRun.of("train", "--print-config").out());
        CliRun r = CliRun.of("train", "--config", file.toString(), "--print-config");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        assertEquals(json(Files.readString(file)), json(r.out()));
    }

    @Test
    void helpListsOnlyValuesThatWorkAndTheExitCodesFromOneHome() {
        String help = CliRun.of("train", "--help").out().replaceAll("\\s+", " ");
        assertTrue(help.contains("combine: mean, sum (default: mean)"), help);
        assertFalse(help.contains("sum, none"), "train refuses --reduction none, so its help must not offer it: " + help);
        assertTrue(help.contains(ExitCodes.HELP_WITH_CHECKS), help);
        CliRun none = CliRun.of("train", "--reduction", "none", "--print-config");
        assertEquals(ExitCodes.BAD_INPUT, none.code());
        assertOneLineError(none, "reduction = none: training needs one loss per batch; use mean or sum");
    }

    static void assertOneLineError(CliRun r, String expectedPart) {
        String err = r.err();
        assertTrue(err.endsWith("\n") && err.indexOf('\n') == err.length() - 1, "one line: " + err);
        assertTrue(err.startsWith("softmaxlab: "), err);
        assertTrue(err.contains(expectedPart), "expected '" + expectedPart + "' in: " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
        assertNotNull(r.out());
    }

    @Test
    void aReaderThatStopsReadingTheStreamIsNotAnError() {
        // jsonl is written from the training threads; the closed pipe surfaces there and must still end quietly
        java.io.OutputStream closedAfter4kB = new java.io.OutputStream() {
            private int written;

            @Override
            public void write(int b) throws java.io.IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws java.io.IOException {
                written += len;
                if (written > 4000) { // past the start line (about 1 kB): a worker thread meets the closed pipe
                    throw new java.io.IOException("Broken pipe");
                }
            }
        };
        java.io.StringWriter err = new java.io.StringWriter();
        int code = dev.softmaxlab.app.App.commandLine(
                new dev.softmaxlab.app.output.ByteSinkPrintWriter(closedAfter4kB),
                new java.io.PrintWriter(err, true)).execute(args(BLOBS, "--format", "jsonl"));
        assertEquals(ExitCodes.OK, code, err.toString());
        assertEquals("", err.toString());
    }
}
