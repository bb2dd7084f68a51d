package dev.softmaxlab.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code -o} rules of issue 11: what is replaced atomically, what is written through, what a link does. */
class AtomicFilesTargetsTest {

    @TempDir
    Path dir;

    private static AtomicFiles.Content text(String s) {
        return out -> out.write(s.getBytes(StandardCharsets.UTF_8));
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aDeviceIsWrittenThroughNotReplaced() throws IOException {
        Path devNull = Path.of("/dev/null");
        assumeTrue(Files.exists(devNull) && !Files.isRegularFile(devNull), "a /dev/null device");
        assertEquals(AtomicFiles.Mode.STREAMED, AtomicFiles.write(devNull, text("discarded")));
        assertFalse(Files.isRegularFile(devNull), "/dev/null is still a device");
    }

    @Test
    void aFifoIsWrittenThroughToItsReader() throws Exception {
        Path fifo = dir.resolve("pipe");
        Process mk;
        try {
            mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            // no mkfifo binary on this machine: the test cannot make its FIFO, so it is skipped, not passed
            org.junit.jupiter.api.Assumptions.abort("mkfifo is not available");
            return;
        }
        assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo worked");
        CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readString(fifo);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        assertEquals(AtomicFiles.Mode.STREAMED, AtomicFiles.write(fifo, text("through the pipe")));
        assertEquals("through the pipe", reader.get(10, TimeUnit.SECONDS));
        assertFalse(Files.isRegularFile(fifo), "the FIFO is still a FIFO");
        assertEquals(List.of("pipe"), names(), "no temporary file beside it");
    }

    @Test
    void aSymlinkIsFollowedAndItsTargetReplacedTheLinkKept() throws IOException {
        Path target = dir.resolve("real.json");
        Files.writeString(target, "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), target.getFileName());
        assertEquals(AtomicFiles.Mode.REPLACED, AtomicFiles.write(link, text("new")));
        assertTrue(Files.isSymbolicLink(link), "the link itself is never replaced");
        assertEquals("new", Files.readString(target));
        assertEquals(List.of("link.json", "real.json"), names());
    }

    @Test
    void aDanglingSymlinkCreatesItsTarget() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), Path.of("made.json"));
        AtomicFiles.write(link, text("x"));
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("x", Files.readString(dir.resolve("made.json")));
    }

    @Test
    void aLoopOfLinksIsRefusedNamingIt() throws IOException {
        Files.createSymbolicLink(dir.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(dir.resolve("b"), Path.of("a"));
        FileSystemException e = assertThrows(FileSystemException.class, () -> AtomicFiles.write(dir.resolve("a"),
                text("x")));
        assertTrue(e.getReason().contains("symbolic links"), e.getReason());
    }

    @Test
    void aStaleTemporaryOfAGoneWriterIsRemovedByTheNextWriteToTheSameTarget() throws Exception {
        long gone = goneProcessPid();
        long alive = ProcessHandle.current().pid();
        Path stale = Files.writeString(dir.resolve(".report.json.softmaxlab-" + gone + "-abc.tmp"), "half");
        Path live = Files.writeString(dir.resolve(".report.json.softmaxlab-" + alive + "-def.tmp"), "in flight");
        Path other = Files.writeString(dir.resolve(".other.json.softmaxlab-" + gone + "-abc.tmp"), "half");
        AtomicFiles.write(dir.resolve("report.json"), text("whole"));
        assertFalse(Files.exists(stale), "the gone writer's temporary is removed");
        assertTrue(Files.exists(live), "a live writer's temporary is left alone");
        assertTrue(Files.exists(other), "another target's temporary is left to that target's next write");
        assertEquals(1, AtomicFiles.removeStale(dir), "a sweep of the directory removes it");
        assertFalse(Files.exists(other));
    }

    @Test
    void temporaryNamesCarryTheWriterPid() throws IOException {
        Path target = dir.resolve("r.json");
        String[] seen = new String[1];
        AtomicFiles.write(target, out -> {
            try (Stream<Path> s = Files.list(dir)) {
                seen[0] = s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("r.json")).findFirst()
                        .orElse(null);
            }
        });
        assertTrue(seen[0] != null && seen[0].startsWith(".r.json.softmaxlab-" + ProcessHandle.current().pid() + "-")
                && seen[0].endsWith(".tmp") && AtomicFiles.isTemporary(seen[0]), String.valueOf(seen[0]));
        assertTrue(Files.exists(target, LinkOption.NOFOLLOW_LINKS));
    }

    /** The pid of a process that has exited. */
    static long goneProcessPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor(10, TimeUnit.SECONDS);
        long pid = p.pid();
        assumeTrue(ProcessHandle.of(pid).isEmpty(), "the pid is not reused at once");
        return pid;
    }
}
