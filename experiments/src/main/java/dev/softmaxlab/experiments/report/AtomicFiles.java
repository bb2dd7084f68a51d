package dev.softmaxlab.experiments.report;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way the tool writes a file a user names, following the rules of {@code -o}:
 * <ul>
 *   <li>a regular file, or a path that does not exist yet, is replaced atomically: the content goes to a temporary
 *       file beside it, which is then moved into place, so a reader sees the old file, no file, or the whole new
 *       one, never half of it;</li>
 *   <li>a device or a FIFO ({@code /dev/null}, {@code /dev/stdout}'s target, a named pipe) is written straight
 *       through: it is never replaced by a regular file;</li>
 *   <li>a symbolic link is followed to its target, and the target is replaced (atomically, when it is a regular
 *       file); the link itself stays.</li>
 * </ul>
 * The parent directory must exist: a typo in a path is refused, not silently created.
 *
 * <p>Temporary files are named {@code .<name>.softmaxlab-<pid>-<random>.tmp}. A process killed while writing
 * leaves one behind; the next write to the same target removes those whose writer (by pid) is gone, as git removes a
 * stale lock. {@link #removeStale(Path)} sweeps a whole directory.
 */
public final class AtomicFiles {

    /** Writes one file's content to a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** A chain of symbolic links longer than this is a loop (Linux gives up at 40 too). */
    private static final int MAX_LINKS = 40;
    private static final Pattern TEMPORARY = Pattern.compile("\\.(.+)\\.softmaxlab-(\\d+)-[0-9a-z]+\\.tmp");

    private AtomicFiles() {
    }

    /** How a target was written. */
    public enum Mode {
        /** A temporary file moved over a regular file or a new path. */
        REPLACED,
        /** A device or FIFO, written as a stream. */
        STREAMED
    }

    /**
     * Writes {@code target} by the rules above.
     *
     * @throws NoSuchFileException   when its directory does not exist (named in the exception)
     * @throws FileSystemException   for a symlink loop ("too many levels of symbolic links"), a directory in the
     *                               way, or a file that cannot be written
     */
    public static Mode write(Path target, Content content) throws IOException {
        Path absolute = target.toAbsolutePath();
        // what the path leads to, through any links: /dev/stdout is a link to /proc/self/fd/1, whose target may be a
        // pipe ("pipe:[123]") that has no name to resolve, so it is opened by the path that was given
        BasicFileAttributes reached = reached(absolute);
        if (reached != null && reached.isDirectory()) {
            throw new FileSystemException(absolute.toString(), null, "is a directory");
        }
        if (reached != null && !reached.isRegularFile()) {
            try (OutputStream out = new FileOutputStream(absolute.toFile())) {
                content.writeTo(out);
            }
            return Mode.STREAMED;
        }
        Path resolved = reached != null ? absolute.toRealPath() : followLinks(absolute);
        BasicFileAttributes attributes = attributes(resolved);
        Path dir = resolved.getParent();
        if (!Files.isDirectory(dir)) {
            throw Files.exists(dir) ? new NotDirectoryException(dir.toString()) : new NoSuchFileException(dir.toString());
        }
        String name = resolved.getFileName().toString();
        removeStale(dir, name);
        Path tmp = createTemporary(dir, name);
        try {
            setMode(tmp, attributes != null ? resolved : null);
            try (OutputStream out = Files.newOutputStream(tmp)) {
                content.writeTo(out);
            }
            try {
                Files.move(tmp, resolved, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, resolved, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return Mode.REPLACED;
    }

    /**
     * Where writing {@code path} lands: the path itself, or, through any chain of symbolic links, the final target
     * (which may not exist yet: writing through a dangling link creates its target).
     *
     * @throws FileSystemException on a loop of links
     */
    public static Path followLinks(Path path) throws IOException {
        Path p = path.toAbsolutePath();
        for (int hops = 0; Files.isSymbolicLink(p); hops++) {
            if (hops == MAX_LINKS) {
                throw new FileSystemException(path.toString(), null, "too many levels of symbolic links (a loop?)");
            }
            p = p.getParent().resolve(Files.readSymbolicLink(p)).normalize();
        }
        return p;
    }

    /** The attributes of what {@code p} leads to through its links, or null when nothing is there. */
    private static BasicFileAttributes reached(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The attributes of {@code p} without following links, or null when nothing is there. */
    private static BasicFileAttributes attributes(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static Path createTemporary(Path dir, String name) throws IOException {
        long pid = ProcessHandle.current().pid();
        for (int attempt = 0; ; attempt++) {
            String random = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
            try {
                return Files.createFile(dir.resolve("." + name + ".softmaxlab-" + pid + "-" + random + ".tmp"));
            } catch (FileAlreadyExistsException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    /** Whether {@code fileName} is a temporary of this class. */
    public static boolean isTemporary(String fileName) {
        return TEMPORARY.matcher(fileName).matches();
    }

    /** Removes the temporaries in {@code dir} whose writer is gone; returns how many. */
    public static int removeStale(Path dir) throws IOException {
        return removeStale(dir, null);
    }

    /** Removes the temporaries of {@code name} (of any target when null) in {@code dir} whose writer is gone. */
    private static int removeStale(Path dir, String name) throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*.softmaxlab-*.tmp")) {
            for (Path p : files) {
                Matcher m = TEMPORARY.matcher(p.getFileName().toString());
                if (!m.matches() || name != null && !m.group(1).equals(name)) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(m.group(2));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (ProcessHandle.of(pid).isEmpty() && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                        && Files.deleteIfExists(p)) {
                    removed++;
                }
            }
        } catch (NoSuchFileException e) {
            return 0;
        }
        return removed;
    }

    /**
     * createFile makes the file with the process umask; a replaced file keeps its own mode, a new one gets the mode
     * an ordinary new report gets (0644), where the file system has POSIX modes.
     */
    private static void setMode(Path tmp, Path replaced) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        Set<PosixFilePermission> mode = replaced != null ? Files.getPosixFilePermissions(replaced)
                : PosixFilePermissions.fromString("rw-r--r--");
        view.setPermissions(mode);
    }
}
