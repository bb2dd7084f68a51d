package dev.softmaxlab.experiments.io;

import dev.softmaxlab.core.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads whole files that users name (a spec, a {@code --config}, a CSV dataset, a sweep's files) within
 * {@link InputLimits#maxFileBytes()}: a regular file over the limit is refused from its size before a byte is read
 * (a 3 GB sparse file costs nothing), and anything else ({@code /dev/zero}, a FIFO) is read only up to the limit.
 * Text must be UTF-8; a file that looks binary is called binary, not "not UTF-8". Every failure is an
 * {@link InvalidInputException} naming the file as {@code what} says it ("--config c.json", "dataset 'csv:x.csv'").
 */
public final class BoundedInput {

    /** How many leading bytes decide whether a file looks binary (git looks at 8000). */
    private static final int SNIFF_BYTES = 8000;

    private BoundedInput() {
    }

    /** The file's bytes; {@code what} names it in messages. */
    public static byte[] readFile(Path file, String what) {
        InputLimits limits = InputLimits.current();
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(what + ": no such file (looked at " + UserText.quote(
                    file.toAbsolutePath().toString()) + "): check the path");
        } catch (FileSystemException e) {
            throw unreadable(what, e);
        } catch (IOException e) {
            throw new InvalidInputException(what + ": cannot read (" + e.getMessage() + ")");
        }
        if (attributes.isDirectory()) {
            throw new InvalidInputException(what + " is a directory: give a file");
        }
        if (attributes.isRegularFile() && attributes.size() > limits.maxFileBytes()) {
            throw limits.fileTooLarge(what, attributes.size());
        }
        try (InputStream in = Files.newInputStream(file)) {
            return readAtMost(in, limits, what);
        } catch (FileSystemException e) {
            throw unreadable(what, e);
        } catch (IOException e) {
            throw new InvalidInputException(what + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** The whole of {@code in}, refused as soon as it passes the file limit. */
    public static byte[] readAtMost(InputStream in, InputLimits limits, String what) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            total += n;
            if (total > limits.maxFileBytes()) {
                throw limits.fileTooLarge(what, -1);
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** A file's text, strictly UTF-8 (a leading byte order mark dropped). */
    public static String readText(Path file, String what) {
        return text(readFile(file, what), what);
    }

    /** Bytes as strict UTF-8 text; a binary file or a bad byte is refused naming where. */
    public static String text(byte[] bytes, String what) {
        if (looksBinary(bytes, bytes.length)) {
            throw binary(what);
        }
        int offset = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, bytes.length - offset)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(what + " is not UTF-8 text (byte " + (firstBadByte(bytes, offset) + 1)
                    + "): save it as UTF-8");
        }
    }

    /** The refusal of a binary input. */
    public static InvalidInputException binary(String what) {
        return new InvalidInputException(what + " looks binary, not text (it holds NUL or other control bytes): "
                + "give a text file");
    }

    /**
     * Whether the first {@link #SNIFF_BYTES} of {@code length} bytes look like a binary file: a NUL byte (as git
     * decides), or more than one in ten being a control byte that text does not hold.
     */
    public static boolean looksBinary(byte[] bytes, int length) {
        int n = Math.min(length, SNIFF_BYTES);
        int control = 0;
        for (int i = 0; i < n; i++) {
            int b = bytes[i] & 0xFF;
            if (b == 0) {
                return true;
            }
            if (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != 0x1B || b == 0x7F) {
                control++;
            }
        }
        return n > 0 && control * 10 > n;
    }

    /**
     * Standard input, or a refusal when it is closed. A process started with stdin closed ({@code <&-}) finds fd 0
     * taken by the first file the JVM itself opened (its module image or a jar), which it would read as binary
     * garbage; on Linux, /proc tells them apart.
     */
    public static InputStream stdin(String what) {
        InputStream in = System.in;
        // only the JVM's own stdin is fd 0 (a test or an embedding program may have set another)
        boolean fd0 = in instanceof java.io.BufferedInputStream || in instanceof FileInputStream;
        if (fd0 && stdinIsClosed()) {
            throw new InvalidInputException(what + ": standard input is closed: pipe or redirect the input, e.g. "
                    + "< cases.jsonl");
        }
        return in;
    }

    static boolean stdinIsClosed() {
        Path fd0 = Path.of("/proc/self/fd/0");
        if (!Files.isDirectory(Path.of("/proc/self/fd"))) {
            return false; // not Linux: no way to tell; an empty read then says "no input"
        }
        Path target;
        try {
            target = Files.readSymbolicLink(fd0);
        } catch (IOException | UnsupportedOperationException e) {
            return !Files.exists(fd0, LinkOption.NOFOLLOW_LINKS);
        }
        String t = target.toString();
        String javaHome = System.getProperty("java.home", "\u0000");
        if (t.startsWith(javaHome)) {
            return true;
        }
        for (String entry : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty() && Path.of(entry).toAbsolutePath().toString().equals(t)) {
                return true;
            }
        }
        return false;
    }

    /** The 0-based offset of the first byte that is not UTF-8. */
    private static int firstBadByte(byte[] bytes, int offset) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, bytes.length - offset);
        CharBuffer out = CharBuffer.allocate(8192);
        while (true) {
            CoderResult r = decoder.decode(in, out, true);
            if (r.isOverflow()) {
                out.clear();
                continue;
            }
            return in.position();
        }
    }

    private static InvalidInputException unreadable(String what, FileSystemException e) {
        if (e instanceof AccessDeniedException) {
            return new InvalidInputException(what + ": permission denied: make the file readable");
        }
        String reason = e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
        return new InvalidInputException(what + ": cannot read (" + reason + "): check the path");
    }
}
