package dev.softmaxlab.experiments.probe;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.io.BoundedInput;
import dev.softmaxlab.experiments.io.BoundedLines;
import dev.softmaxlab.experiments.io.InputLimits;
import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;

/**
 * Reads JSON Lines input line by line, skipping blank lines, numbering lines from 1 and cases from 0, each line
 * within {@link InputLimits#maxLineChars()}. Only reads: parsing happens in {@link JsonLinesCaseParser}, on worker
 * threads. Give it a reader that replaces malformed input (as {@code InputStreamReader} does) so that a bad byte is
 * reported with its own line number.
 */
public final class JsonLinesSource implements OrderedPipeline.Source<JsonLinesSource.Line> {

    /**
     * One non-blank line.
     *
     * @param chars  the line, owned by this record (a char array, so the parser reads it without a copy)
     * @param number its line number, from 1
     * @param index  its case index, from 0
     */
    public record Line(char[] chars, long number, int index) {

        /** The line as a String. */
        public String text() {
            return new String(chars);
        }
    }

    private final BoundedLines lines;
    private final String source;
    private int caseIndex;

    /** @param source how the input is named in messages, e.g. "--input cases.jsonl" */
    public JsonLinesSource(Reader reader, String source) {
        this(reader, InputLimits.current(), source);
    }

    public JsonLinesSource(Reader reader, InputLimits limits, String source) {
        this.lines = new BoundedLines(reader, limits, source);
        this.source = source;
    }

    /** How many cases were read so far. */
    public int cases() {
        return caseIndex;
    }

    @Override
    public Line next() throws IOException {
        char[] s;
        while ((s = readLine()) != null) {
            if (!isBlank(s)) {
                return new Line(s, lines.lineNumber(), caseIndex++);
            }
        }
        return null;
    }

    private static boolean isBlank(char[] s) {
        for (char c : s) {
            if (!Character.isWhitespace(c)) {
                return false;
            }
        }
        return true;
    }

    private char[] readLine() throws IOException {
        char[] s = lines.nextChars();
        if (s == null) {
            return null;
        }
        if (lines.lineNumber() == 1 && s.length > 0 && s[0] == '\uFEFF') {
            s = Arrays.copyOfRange(s, 1, s.length); // a byte-order mark, as some Windows editors write
        }
        // the reader replaces undecodable bytes with U+FFFD; JSON cases are ASCII, so this names the exact line
        int bad = 0;
        boolean replaced = false;
        for (char c : s) {
            if (c < 0x20) {
                if (c == '\u0000') {
                    throw BoundedInput.binary(source + " (line " + lines.lineNumber() + ")");
                }
                bad += c != '\t' ? 1 : 0;
            } else if (c == '\uFFFD') {
                bad++;
                replaced = true;
            }
        }
        if (bad >= 4 && bad * 10L > s.length) {
            throw BoundedInput.binary(source + " (line " + lines.lineNumber() + ")");
        }
        if (replaced) {
            throw new InvalidInputException(source + " line " + lines.lineNumber()
                    + ": not valid UTF-8 (or holds U+FFFD): save the file as UTF-8 text");
        }
        return s;
    }
}
