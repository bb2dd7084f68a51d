package dev.softmaxlab.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every bad input: exit 2, one line on stderr naming the problem and the fix, nothing on stdout, no stack trace. */
class ProbeCommandErrorsTest {

    @TempDir
    Path dir;

    private static void assertOneLineError(CliRun r, String expectedFragment) {
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().startsWith("softmaxlab: "), r.err());
        assertTrue(r.err().contains(expectedFragment), "expected '" + expectedFragment + "' in: " + r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertFalse(r.err().contains("at dev."), r.err());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--logits= --label 0                         | --logits is empty",
        "--logits 1,2,3 --label 3                    | --label 3 is out of range for 3 classes: give a class index in 0..2",
        "--logits 1,zwei,3 --label 0                 | --logits value 2: 'zwei' is not a number",
        "--logits 1,2,3 --label x                    | '--label'",
        "--logits 1,2 --target 1.5,-0.5              | --target value -0.5 at class 1 is not a probability",
        "--logits 1,2 --target 0.5,0.4               | --target sums to 0.9",
        "--logits 1,2,3 --target 0.5,0.5             | --target has 2 values but --logits has 3",
        "--logits 1,2 --label 0 --target 1,0         | --label and --target were both given",
        "--logits 1,2                                | --logits needs a target",
        "--logits 1,2 --label 0 --paths fused,fast   | unknown path 'fast': expected one of fused, separate",
        "--logits 1,2 --label 0 --precision fp8      | unknown precision 'fp8': expected one of fp64, fp32, bf16, fp16",
        "--logits 1,2 --label 0 --accumulate fp128   | unknown precision 'fp128'",
        "--logits 1,2 --label 0 --format yaml        | unknown format 'yaml': expected one of text, json, jsonl, csv",
        "--logits 1,2 --label 0 --format csv         | --format csv is not offered here: expected one of text, json, jsonl",
        "--logits 1,2 --label 0 --label-smoothing 1  | --label-smoothing: label smoothing 1.0 is out of range",
        "--logits 1,2 --label 0 --eps 0              | --eps: clip epsilon 0.0 is out of range",
        "--logits 1,2 --label 0 --eps abc            | 'abc' is not a number",
        "--logits 1,2 --label 0 --vectors some       | unknown vectors 'some': expected one of all, gradient, none",
        "--logits 1,2 --label 0 --threads 0          | --threads 0: must be at least 1",
        "--label 0                                   | no case given",
        "(nothing)                                   | no case given",
        "--logits 1,2 --label 0 --bogus              | Unknown option: '--bogus'",
    })
    void badOptions(String args, String expected) {
        String[] argv = args.equals("(nothing)") ? new String[] {"probe"} : ("probe " + args).split(" ");
        CliRun r = CliRun.of(argv);
        assertOneLineError(r, expected);
        assertEquals("", r.out());
    }

    @Test
    void unknownPathMessageNamesTheOption() {
        assertOneLineError(CliRun.of("probe", "--logits", "1,2", "--label", "0", "--paths", "fast"), "'--paths'");
    }

    @Test
    void missingInputFile() {
        Path missing = dir.resolve("nope.jsonl");
        assertOneLineError(CliRun.of("probe", "--input", missing.toString()),
                "--input " + missing + ": no such file: check the path");
    }

    @Test
    void inputIsADirectory() {
        assertOneLineError(CliRun.of("probe", "--input", dir.toString()), "is a directory");
    }

    @Test
    void inputTogetherWithLogits() throws IOException {
        Path f = Files.writeString(dir.resolve("c.jsonl"), "{\"logits\":[1,2],\"label\":0}\n");
        assertOneLineError(CliRun.of("probe", "--input", f.toString(), "--logits", "1,2"),
                "--input was given with --logits/--label/--target");
    }

    @Test
    void malformedJsonLineIsNamedByItsLineNumberAndEarlierCasesAreWritten() throws IOException {
        Path f = Files.writeString(dir.resolve("cases.jsonl"), ""
                + "{\"logits\":[1,2],\"label\":0}\n"
                + "\n"
                + "{\"logits\":[3,4],\"label\":1}\n"
                + "{\"logits\":[3,4],\"label\":1\n"
                + "{\"logits\":[5,6],\"label\":1}\n");
        CliRun r = CliRun.of("probe", "--input", f.toString(), "--format", "jsonl", "--paths", "fused",
                "--precision", "fp64");
        assertOneLineError(r, "softmaxlab: --input " + f + " line 4: malformed JSON");
        assertEquals(2, r.out().lines().count(), "the two good cases before line 4: " + r.out());
    }

    @Test
    void badLineWithOutputFileLeavesNoFile() throws IOException {
        Path f = Files.writeString(dir.resolve("cases.jsonl"), ""
                + "{\"logits\":[1,2],\"label\":0}\n"
                + "{\"logits\":[1,2],\"label\":5}\n");
        Path out = dir.resolve("out.jsonl");
        CliRun r = CliRun.of("probe", "--input", f.toString(), "--format", "jsonl", "-o", out.toString());
        assertOneLineError(r, "line 2: \"label\" 5 is out of range for 2 classes");
        assertFalse(Files.exists(out), "no half-written output file");
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file left behind");
        }
    }

    @Test
    void unwritableOutputFile() throws IOException {
        Path file = Files.writeString(dir.resolve("plain.txt"), "x");
        Path out = file.resolve("probe.json"); // a file cannot be a directory
        CliRun r = CliRun.of("probe", "--logits", "1,2", "--label", "0", "-o", out.toString());
        assertOneLineError(r, "-o " + out + ": cannot write");
        assertTrue(r.err().contains("choose a writable path"), r.err());
    }

    @Test
    void invalidUtf8IsNamedByLine() throws IOException {
        Path f = dir.resolve("bin.jsonl");
        Files.write(f, new byte[] {'{', '}', '\n', (byte) 0xC3, (byte) 0x28, '\n'});
        assertOneLineError(CliRun.of("probe", "--input", f.toString()), "line");
        // the first line is not a valid case either; whichever comes first is reported, as one line
        Files.write(f, ("{\"logits\":[1],\"label\":0}\n" + new String(new byte[] {(byte) 0xC3, (byte) 0x28},
                StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1));
        assertOneLineError(CliRun.of("probe", "--input", f.toString(), "--format", "jsonl"),
                "line 2: not valid UTF-8");
    }

    @Test
    void helpHasExamplesOnEveryCommand() {
        CliRun r = CliRun.of("probe", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("Examples:"), r.out());
        assertTrue(r.out().contains("softmaxlab probe --logits 1000,0,-1000 --label 2"), r.out());
        assertTrue(r.out().contains("--paths") && r.out().contains("separate-clipped"), r.out());
        CliRun root = CliRun.of("--help");
        assertEquals(0, root.code());
        assertTrue(root.out().contains("probe"), root.out());
        assertTrue(root.out().contains("Examples:"), root.out());
    }
}
