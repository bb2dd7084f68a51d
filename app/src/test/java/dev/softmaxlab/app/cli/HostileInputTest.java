package dev.softmaxlab.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 through the real command line: bounded reads, bad input as exit 2 (never "internal error"), the -o
 * rules, user values quoted. Each assertion fails on the code before the fix.
 */
class HostileInputTest {

    @TempDir
    Path dir;

    static void assertUserError(CliRun r, String... fragments) {
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("softmaxlab: ") && !r.err().contains("internal error")
                && !r.err().contains("Exception"), r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "'" + f + "' missing from: " + r.err());
        }
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private List<String> files(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    // class 2: bounded reads

    @Test
    void aLineOverTheLimitIsRefusedNamingTheLimitAndTheFlag() throws IOException {
        Path in = write("cases.jsonl", "{\"logits\":[1,2],\"label\":0}\n{\"logits\":[" + "1,".repeat(100) + "1],"
                + "\"label\":0}\n");
        assertUserError(CliRun.of("probe", "--input", in.toString(), "--max-line-size", "100"),
                "line 2 is longer than the 100 chars limit", "--max-line-size");
        assertEquals(0, CliRun.of("probe", "--input", in.toString(), "--max-line-size", "1k").code());
    }

    @Test
    void endlessInputsAreRefusedAtTheLimit() {
        assumeTrue(Files.exists(Path.of("/dev/zero")));
        assertUserError(CliRun.of("train", "--dataset", "csv:/dev/zero", "--max-file-size", "1m"),
                "larger than the 1 MiB limit", "--max-file-size");
        assertUserError(CliRun.of("train", "--config", "/dev/zero", "--max-file-size", "1m"),
                "--config /dev/zero is larger than the 1 MiB limit");
        assertUserError(CliRun.of("validate", "/dev/zero", "--max-file-size", "1m"), "1 MiB limit");
        assertUserError(CliRun.of("probe", "--input", "/dev/zero"), "looks binary");
    }

    @Test
    void sizesThatMultiplyAreCheckedBeforeAllocating() {
        assertUserError(CliRun.of("train", "--samples", "100000", "--classes", "30000", "--steps", "1"),
                "samples = 100000 × classes = 30000", "more than the 50,000,000");
    }

    @Test
    void aCsvWithAlmostOnlyDistinctLabelsIsRefusedBeforeTraining() throws IOException {
        StringBuilder sb = new StringBuilder("x,id\n");
        for (int i = 0; i < 8000; i++) {
            sb.append(i).append(",row").append(i).append('\n');
        }
        Path csv = write("ids.csv", sb.toString());
        assertUserError(CliRun.of("train", "--dataset", "csv:" + csv, "--steps", "1"),
                "8000 rows × 8000 classes", "check --label-column");
    }

    // class 3: bad input that was called an internal error

    @Test
    void aSpecThatIsADirectoryOrNotUtf8IsBadInput() throws IOException {
        assertUserError(CliRun.of("validate", dir.toString()), "is a directory");
        Path latin1 = dir.resolve("latin1.json");
        Files.write(latin1, "{\"name\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
        assertUserError(CliRun.of("validate", latin1.toString()), "not UTF-8 text (byte 13)");
        assertUserError(CliRun.of("sweep", latin1.toString(), "-o", dir.resolve("o").toString()), "not UTF-8");
    }

    @Test
    void aConfigNestedTooDeepOrWithAHugeStringIsBadInput() throws IOException {
        Path deep = write("deep.json", "[".repeat(1500) + "]".repeat(1500));
        assertUserError(CliRun.of("train", "--config", deep.toString()), "nested more than 1000 levels deep");
        Path huge = write("huge.json", "{\"dataset\":\"" + "x".repeat(20_000_001) + "\"}");
        assertUserError(CliRun.of("train", "--config", huge.toString()), "string longer than 20000000");
        Path nan = write("nan.json", "{\"lr\": NaN}");
        assertUserError(CliRun.of("train", "--config", nan.toString()),
                "line 1, column 11: bare NaN is not JSON: write it as the string \"NaN\"");
        Path cut = write("cut.json", "{\"lr\": 0.1, \"steps\"");
        CliRun r = CliRun.of("train", "--config", cut.toString());
        assertUserError(r, "truncated?");
        assertFalse(r.err().contains("REDACTED") || r.err().contains("Feature"), r.err());
    }

    @Test
    void aGridLargerThanALongIsRefusedNotWrapped() throws IOException {
        // five axes: 10^4 × 10^4 × 10^4 × 10^4 saturates the old cap, then 2 × 10^6 wrapped it negative
        StringBuilder grid = new StringBuilder();
        String[] keys = {"lr", "momentum", "beta1", "beta2"};
        for (String k : keys) {
            grid.append('"').append(k).append("\":[");
            for (int i = 0; i < 10_000; i++) {
                grid.append(i == 0 ? "" : ",").append("0.").append(i + 1);
            }
            grid.append("],");
        }
        grid.append("\"seed\":[");
        for (int i = 0; i < 2_000_000; i++) {
            grid.append(i == 0 ? "" : ",").append(i);
        }
        grid.append(']');
        Path spec = write("big.json", "{\"schema\":\"softmaxlab.spec/1\",\"name\":\"big\",\"description\":\"d\",\"grid\":{" + grid + "}}");
        assertUserError(CliRun.of("validate", spec.toString()), "more than 100000 training runs");
    }

    @Test
    void sweepOutputThroughABadLinkOrOverAFileIsBadInput() throws IOException {
        Path spec = write("s.json", SweepFixtures.SPEC);
        Files.createSymbolicLink(dir.resolve("loop1"), Path.of("loop2"));
        Files.createSymbolicLink(dir.resolve("loop2"), Path.of("loop1"));
        assertUserError(CliRun.of("sweep", spec.toString(), "-o", dir.resolve("loop1").toString()), "loop");
        Files.createSymbolicLink(dir.resolve("dangling"), Path.of("nowhere/deeper"));
        assertUserError(CliRun.of("sweep", spec.toString(), "-o", dir.resolve("dangling").toString()),
                "which does not exist");
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("runs"), "x");
        assertUserError(CliRun.of("sweep", spec.toString(), "-o", out.toString()), "runs is a file");
        assertEquals("x", Files.readString(out.resolve("runs")));
    }

    @Test
    void aMissingParentOfTheOutputDirectoryIsNamedNotCreated() throws IOException {
        Path spec = write("s.json", SweepFixtures.SPEC);
        Path out = dir.resolve("typo/out");
        assertUserError(CliRun.of("sweep", spec.toString(), "-o", out.toString()),
                "the directory " + dir.resolve("typo") + " does not exist");
        assertFalse(Files.exists(dir.resolve("typo")));
    }

    // class 5: no symlink inside the output tree

    @Test
    void aPlantedRunsLinkIsRefusedAndNothingIsWrittenThroughIt() throws IOException {
        Path spec = write("s.json", SweepFixtures.SPEC);
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.createSymbolicLink(out.resolve("runs"), elsewhere);
        assertUserError(CliRun.of("sweep", spec.toString(), "-o", out.toString()), "is a symbolic link");
        assertEquals(List.of(), files(elsewhere));
    }

    // class 1: -o rules and class 6: temporaries

    @Test
    void outputToDevNullAndToDashIsWrittenThrough() {
        CliRun devNull = CliRun.of("probe", "--logits", "1,2", "--label", "0", "-o", "/dev/null");
        assertEquals(0, devNull.code(), devNull.err());
        assertFalse(Files.isRegularFile(Path.of("/dev/null")));
        CliRun dash = CliRun.of("probe", "--logits", "1,2", "--label", "0", "--format", "jsonl", "-o", "-");
        assertEquals(0, dash.code(), dash.err());
        assertTrue(dash.out().startsWith("{\"case\":0"), dash.out());
    }

    @Test
    void outputThroughASymlinkReplacesItsTargetAndKeepsTheLink() throws IOException {
        Path target = write("real.jsonl", "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.jsonl"), target.getFileName());
        CliRun r = CliRun.of("probe", "--logits", "1,2", "--label", "0", "--format", "jsonl", "-o", link.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isSymbolicLink(link));
        assertTrue(Files.readString(target).startsWith("{\"case\":0"));
    }

    @Test
    void outputIntoAMissingDirectoryIsRefusedNamingIt() {
        Path o = dir.resolve("no/such/dir/out.json");
        assertUserError(CliRun.of("probe", "--logits", "1,2", "--label", "0", "-o", o.toString()),
                "the directory " + dir.resolve("no/such/dir") + " does not exist");
        assertFalse(Files.exists(dir.resolve("no")));
    }

    @Test
    void aStaleTemporaryOfAKilledRunIsRemovedByTheNextRunOnTheSameTarget() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        assumeTrue(ProcessHandle.of(p.pid()).isEmpty());
        Path stale = write(".out.jsonl.softmaxlab-" + p.pid() + "-k1ll3d.tmp", "half a report");
        CliRun r = CliRun.of("probe", "--logits", "1,2", "--label", "0", "--format", "jsonl", "-o",
                dir.resolve("out.jsonl").toString());
        assertEquals(0, r.code(), r.err());
        assertFalse(Files.exists(stale));
        assertEquals(List.of("out.jsonl"), files(dir));
    }

    // class 7: user values quoted, cut and escaped

    @Test
    void aHugeCsvFieldAndControlCharactersAreNotEchoed() throws IOException {
        Path csv = write("big.csv", "a,b,label\n1,2,x\n3," + "9".repeat(200_000) + "q,y\n");
        CliRun r = CliRun.of("train", "--dataset", "csv:" + csv, "--steps", "1");
        assertUserError(r, "is not a number");
        assertTrue(r.err().length() < 400, r.err().length() + " chars");
        Path esc = write("esc.csv", "a,b,label\n1,\u001b[31mred,x\n3,4,y\n");
        CliRun e = CliRun.of("train", "--dataset", "csv:" + esc, "--steps", "1");
        assertUserError(e, "'\\u001b[31mred'");
        assertFalse(e.err().contains("\u001b"), "no raw ESC on the terminal");
    }

    @Test
    void controlCharactersInASpecNameReachNoTerminal() throws IOException {
        Path spec = write("esc.json", SweepFixtures.SPEC.replace("\"tiny\"", "\"t\\u001b[2J\\r\\u0000y\""));
        CliRun v = CliRun.of("validate", spec.toString());
        assertEquals(0, v.code(), v.err());
        assertTrue(v.out().contains("spec 't\\u001b[2J\\r\\u0000y'"), v.out());
        CliRun s = CliRun.of("sweep", spec.toString(), "-o", dir.resolve("o").toString(), "-q");
        assertEquals(0, s.code(), s.err());
        assertFalse((v.out() + s.out() + s.err()).contains("\u001b"), "no raw ESC");
        assertTrue(s.out().startsWith("'t\\u001b[2J\\r\\u0000y': 2 runs"), s.out());
    }

    @Test
    void aFileThatIsNotADatasetShowsNoMoreThanAShortQuotedPrefix() throws IOException {
        Path secret = write("shadow", "root:$6$" + "s".repeat(200) + ":19000:0:99999:7:::\nuser:*:1:0:::\n");
        CliRun r = CliRun.of("train", "--dataset", "csv:" + secret, "--steps", "1");
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertFalse(r.err().contains("s".repeat(61)), r.err());
    }

    @Test
    void aBinaryInputIsCalledBinary() throws IOException {
        Path bin = dir.resolve("model.bin");
        Files.write(bin, new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, (byte) 0xff, 0});
        assertUserError(CliRun.of("probe", "--input", bin.toString()), "looks binary");
    }
}
