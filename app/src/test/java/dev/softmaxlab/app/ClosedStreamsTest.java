package dev.softmaxlab.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.softmaxlab.app.cli.ExitCodes;
import dev.softmaxlab.app.output.ByteSinkPrintWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, classes 3 and 8: a full or closed stdout is one line, not "internal error"; a closed stdin is called
 * closed, not "line 1: not valid UTF-8". The closed streams are real: the tool runs in a child JVM started with
 * {@code <&-} or {@code >&-}.
 */
class ClosedStreamsTest {

    /** A stdout on a full disk, as {@code > /dev/full}. */
    private static final class FullDisk extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            throw new IOException("No space left on device");
        }
    }

    @Test
    void aFullStdoutIsOneLineNotAnInternalError() {
        StringWriter err = new StringWriter();
        int code = App.commandLine(new ByteSinkPrintWriter(new FullDisk()), new PrintWriter(err, true))
                .execute("probe", "--logits", "1,2", "--label", "0", "--format", "jsonl");
        assertEquals(ExitCodes.INTERNAL, code);
        assertEquals("softmaxlab: cannot write to standard output: No space left on device (the disk or device is "
                + "full); give -o FILE to write a file instead\n", err.toString().replace("\r\n", "\n"));
    }

    private record Child(int code, String out, String err) {
    }

    /** Runs the tool in a child JVM through bash, with {@code redirect} applied (e.g. "<&-"). */
    private static Child child(String redirect, String... args) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash");
        String java = ProcessHandle.current().info().command().orElse("java");
        StringBuilder cmd = new StringBuilder("'" + java + "' -cp '" + System.getProperty("java.class.path")
                + "' dev.softmaxlab.app.App");
        for (String a : args) {
            cmd.append(" '").append(a).append('\'');
        }
        cmd.append(' ').append(redirect);
        Path out = Files.createTempFile("softmaxlab-child", ".out");
        Path err = Files.createTempFile("softmaxlab-child", ".err");
        try {
            Process p = new ProcessBuilder("/bin/bash", "-c", cmd.toString())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child finished");
            return new Child(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void aClosedStdinIsCalledClosed() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "Linux /proc");
        Child c = child("<&-", "probe", "--input", "-");
        assertEquals(ExitCodes.BAD_INPUT, c.code(), c.err());
        assertEquals("softmaxlab: --input -: standard input is closed: pipe or redirect the input, e.g. "
                + "< cases.jsonl\n", c.err());
    }

    @Test
    void anEmptyStdinSaysZeroCases() throws Exception {
        Child c = child("</dev/null", "probe", "--input", "-");
        assertEquals(ExitCodes.OK, c.code(), c.err());
        assertTrue(c.err().contains("0 cases"), c.err());
    }

    @Test
    void outputToDevStdoutThatIsAPipeIsWrittenThrough() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/stdout")), "/dev/stdout");
        Child c = child("| cat", "probe", "--logits", "1,2", "--label", "0", "--paths", "fused", "--precision", "fp64",
                "--format", "jsonl", "-o", "/dev/stdout");
        assertEquals(0, c.code(), c.err());
        assertEquals("", c.err());
        assertTrue(c.out().startsWith("{\"case\":0,\"classes\":2,"), c.out());
    }

    @Test
    void aClosedStdoutIsOneLine() throws Exception {
        Child c = child(">&-", "probe", "--logits", "1,2", "--label", "0");
        assertEquals(ExitCodes.INTERNAL, c.code(), c.err());
        assertEquals(1, c.err().lines().count(), c.err());
        assertTrue(c.err().startsWith("softmaxlab: cannot write to standard output"), c.err());
    }
}
