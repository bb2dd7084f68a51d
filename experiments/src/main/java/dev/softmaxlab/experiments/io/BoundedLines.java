package dev.softmaxlab.experiments.io;

import java.io.IOException;
import java.io.Reader;

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
    private final StringBuilder line = new StringBuilder();
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
        line.setLength(0);
        boolean any = false;
        while (true) {
            if (pos == end) {
                end = in.read(buf, 0, buf.length);
                pos = 0;
                if (end <= 0) {
                    end = 0;
                    if (!any) {
                        return null;
                    }
                    lineNumber++;
                    return line.toString();
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
            if (line.length() + (pos - start) > limits.maxLineChars()) {
                throw limits.lineTooLong(source + " line " + (lineNumber + 1));
            }
            line.append(buf, start, pos - start);
            if (pos < end) {
                skipLf = buf[pos] == '\r';
                pos++;
                lineNumber++;
                return line.toString();
            }
        }
    }
}
