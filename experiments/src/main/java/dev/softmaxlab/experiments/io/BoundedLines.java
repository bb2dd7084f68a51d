package dev.softmaxlab.experiments.io;

import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;

/**
 * Lines of text with a bound on their length: like {@link java.io.BufferedReader#readLine()} (a line ends at LF,
 * CRLF or CR), but a line longer than {@link InputLimits#maxLineChars()} is refused as soon as it passes the limit,
 * so {@code /dev/zero} or a file with no line breaks costs one limit of memory, not all of it.
 */
public final class BoundedLines {

    private final Reader in;
    private final InputLimits limits;
    private final String source;
    private final char[] buf = new char[1 << 16];
    /** The line being read, [0, lineLength); grows to the longest line (at most the limit). */
    private char[] line = new char[1 << 10];
    private int lineLength;
    private int pos;
    private int end;
    private long lineNumber;
    private boolean skipLf;

    /** @param source how the input is named in messages, e.g. "--input cases.jsonl" */
    public BoundedLines(Reader in, InputLimits limits, String source) {
        this.in = in;
        this.limits = limits;
        this.source = source;
    }

    /** The number of the line last returned, from 1. */
    public long lineNumber() {
        return lineNumber;
    }

    /** The next line without its terminator, or null at the end of the input. */
    public String next() throws IOException {
        return advance() ? new String(line, 0, lineLength) : null;
    }

    /**
     * {@link #next()} as a char array of its own (one copy of the line, no String in between: a probe input's lines
     * go straight to a parser that reads char arrays).
     */
    public char[] nextChars() throws IOException {
        return advance() ? Arrays.copyOf(line, lineLength) : null;
    }

    /** Reads the next line into {@link #line}; false at the end of the input. */
    private boolean advance() throws IOException {
        lineLength = 0;
        boolean any = false;
        while (true) {
            if (pos == end) {
                end = in.read(buf, 0, buf.length);
                pos = 0;
                if (end <= 0) {
                    end = 0;
                    if (!any) {
                        return false;
                    }
                    lineNumber++;
                    return true;
                }
            }
            if (skipLf) {
                skipLf = false;
                if (buf[pos] == '\n') {
                    pos++;
                    continue;
                }
            }
            any = true;
            int start = pos;
            while (pos < end && buf[pos] != '\n' && buf[pos] != '\r') {
                pos++;
            }
            int n = pos - start;
            if (lineLength + n > limits.maxLineChars()) {
                throw limits.lineTooLong(source + " line " + (lineNumber + 1));
            }
            if (lineLength + n > line.length) {
                // doubling, but never past the limit: a line at the limit costs one limit of memory
                line = Arrays.copyOf(line, (int) Math.min(Math.max(lineLength + n, 2L * line.length),
                        limits.maxLineChars()));
            }
            System.arraycopy(buf, start, line, lineLength, n);
            lineLength += n;
            if (pos < end) {
                skipLf = buf[pos] == '\r';
                pos++;
                lineNumber++;
                return true;
            }
        }
    }
}
