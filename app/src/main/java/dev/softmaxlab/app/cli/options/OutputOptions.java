package dev.softmaxlab.app.cli.options;

import dev.softmaxlab.app.output.ByteSinkPrintWriter;
import dev.softmaxlab.app.output.OutputFormat;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.report.AtomicFiles;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --format} and {@code -o/--output FILE}. A file is written atomically through {@link AtomicFiles} (a reader
 * never sees half of it; on an error it is not created); without {@code -o} output goes to stdout. Use with
 * {@code @Mixin OutputOptions output;}, then {@code output.format(EnumSet.of(TEXT, JSON))} to check the format against
 * what the command supports, and {@code output.write(spec.commandLine().getOut(), sink -> ...)} to write.
 */
public final class OutputOptions {

    /** Writes one command's output to a {@link Sink}. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Sink sink) throws IOException;
    }

    /**
     * Where output goes: chars for text, bytes for bulk JSON. Both views share one position: write through one at a
     * time and {@link #flush()} in between. On stdout, what was written before an exception is flushed; a file is
     * not created at all.
     */
    public interface Sink {
        /** A buffered UTF-8 char view. */
        Writer writer();

        /** A buffered byte view. */
        OutputStream bytes();

        /** Flushes both views. */
        void flush() throws IOException;
    }

    @Option(names = "--format", order = 30, paramLabel = "FORMAT", converter = FormatConverter.class,
            completionCandidates = OutputFormat.Ids.class,
            description = "Output format, as the command offers: text, json, jsonl or csv (default: text).")
    OutputFormat format;

    @Option(names = {"-o", "--output"}, order = 31, paramLabel = "FILE",
            description = "Write to FILE instead of stdout: a regular file atomically (complete or not at all), a "
                    + "device or FIFO straight through, through a symlink to its target; '-' is stdout. The "
                    + "directory must exist.")
    Path output;

    /**
     * The chosen format, {@code TEXT} by default.
     *
     * @throws InvalidInputException when the command does not offer it
     */
    public OutputFormat format(Set<OutputFormat> supported) {
        checkTarget();
        OutputFormat f = format != null ? format : OutputFormat.TEXT;
        if (!supported.contains(f)) {
            throw new InvalidInputException("--format " + f.id() + " is not offered here: expected one of "
                    + supported.stream().map(OutputFormat::id).collect(Collectors.joining(", ")));
        }
        return f;
    }

    /**
     * A bad {@code -o} is refused up front (commands ask for the format before any work), naming it, rather than after
     * the work as a failed move of a temporary file: a directory, a path whose directory does not exist (a typo is
     * not silently created), a loop of symbolic links.
     */
    private void checkTarget() {
        if (file() == null) {
            return;
        }
        Path resolved;
        try {
            resolved = AtomicFiles.followLinks(output);
        } catch (IOException e) {
            throw new InvalidInputException("-o " + output + ": "
                    + (e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage())
                    + ": give a file path");
        }
        if (Files.isDirectory(resolved)) {
            throw new InvalidInputException("-o " + output + " is a directory: give a file path, such as "
                    + output.resolve("report.json"));
        }
        Path dir = resolved.getParent();
        if (dir != null && Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new InvalidInputException("-o " + output + ": cannot write: its directory " + dir + " is a file, "
                    + "not a directory: choose a writable path");
        }
        if (dir != null && !Files.isDirectory(dir)) {
            throw new InvalidInputException("-o " + output + ": the directory " + dir + " does not exist: create it "
                    + "first, or fix the path");
        }
    }

    /** The {@code -o} file, or null for stdout (no {@code -o}, or {@code -o -}). */
    public Path file() {
        return output == null || output.toString().equals("-") ? null : output;
    }

    /**
     * Writes the content to the {@code -o} file by the rules of {@link AtomicFiles} (a regular file atomically, a
     * device or FIFO straight through), or to stdout ({@code out}), flushing at the end.
     */
    public void write(PrintWriter out, Content content) throws IOException {
        checkTarget();
        Path target = file();
        if (target != null) {
            try {
                AtomicFiles.write(target, os -> {
                    StreamSink sink = new StreamSink(os);
                    content.writeTo(sink);
                    sink.flush();
                });
            } catch (FileSystemException e) {
                // only failures on the way to the output file are the user's to fix
                Path dir = AtomicFiles.followLinks(target).getParent();
                Path failed = e.getFile() != null ? Path.of(e.getFile()).toAbsolutePath() : null;
                if (failed != null && (failed.startsWith(dir) || dir.startsWith(failed))) {
                    throw new InvalidInputException("-o " + target + ": cannot write " + failed + " (" + describe(e)
                            + "): choose a writable path");
                }
                throw e;
            }
            return;
        }
        // stdout streams: what was written before an error (e.g. a bad line 7) still reaches the reader
        if (out instanceof ByteSinkPrintWriter b) {
            out.flush();
            StreamSink sink = new StreamSink(b.byteStream());
            try {
                content.writeTo(sink);
            } finally {
                sink.flush();
                b.byteStream().flush();
            }
        } else {
            WriterSink sink = new WriterSink(out);
            try {
                content.writeTo(sink);
            } finally {
                sink.flush();
            }
        }
    }

    private static String describe(FileSystemException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "a file is in the way of a directory";
        }
        if (e instanceof NoSuchFileException) {
            return "no such directory";
        }
        return e.getReason() != null ? e.getReason() : "file system error";
    }

    /** Bytes first; chars encoded into the same stream. */
    private static final class StreamSink implements Sink {
        private final BufferedOutputStream bytes;
        private final Writer writer;

        StreamSink(OutputStream os) {
            this.bytes = new BufferedOutputStream(os, 1 << 16);
            this.writer = new OutputStreamWriter(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public Writer writer() {
            return writer;
        }

        @Override
        public OutputStream bytes() {
            return bytes;
        }

        @Override
        public void flush() throws IOException {
            writer.flush();
            bytes.flush();
        }
    }

    /** Chars first (tests, or a writer without a byte stream beneath); bytes are decoded as UTF-8 on flush. */
    private static final class WriterSink implements Sink {
        private final Writer writer;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        WriterSink(Writer writer) {
            this.writer = writer;
        }

        @Override
        public Writer writer() {
            return writer;
        }

        @Override
        public OutputStream bytes() {
            return bytes;
        }

        @Override
        public void flush() throws IOException {
            if (bytes.size() > 0) {
                writer.write(bytes.toString(StandardCharsets.UTF_8));
                bytes.reset();
            }
            writer.flush();
        }
    }

    /** {@code --format} ids; an unknown one names the value and the choices. */
    public static final class FormatConverter implements ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            for (OutputFormat f : OutputFormat.values()) {
                if (f.id().equals(value.trim())) {
                    return f;
                }
            }
            throw new TypeConversionException("unknown format '" + value + "': expected one of "
                    + Arrays.stream(OutputFormat.values()).map(OutputFormat::id).collect(Collectors.joining(", ")));
        }
    }
}
