package dev.softmaxlab.experiments.probe;

import dev.softmaxlab.core.InvalidInputException;
import java.io.BufferedReader;
import java.io.IOException;

/**
 * Reads JSON Lines input line by line, skipping blank lines, numbering lines from 1 and cases from 0. Only reads:
 * parsing happens in {@link JsonLinesCaseParser}, on worker threads. Give it a reader that replaces malformed input
 * (as {@code InputStreamReader} does) so that a bad byte is reported with its own line number.
 */
public final class JsonLinesSource implements OrderedPipeline.Source<JsonLinesSource.Line> {

    /**
     * One non-blank line.
     *
     * @param text   the line
     * @param number its line number, from 1
     * @param index  its case index, from 0
     */
    public record Line(String text, long number, int index) {
    }

    private final BufferedReader reader;
    private final String source;
    private long lineNumber;
    private int caseIndex;

    /** @param source how the input is named in messages, e.g. "--input cases.jsonl" */
    public JsonLinesSource(BufferedReader reader, String source) {
        this.reader = reader;
        this.source = source;
    }

    @Override
    public Line next() throws IOException {
        String s;
        while ((s = readLine()) != null) {
            lineNumber++;
            if (!s.isBlank()) {
                return new Line(s, lineNumber, caseIndex++);
            }
        }
        return null;
    }

    private String readLine() throws IOException {
        String s = reader.readLine();
        if (s != null && lineNumber == 0 && s.startsWith("\uFEFF")) {
            s = s.substring(1); // a byte-order mark, as some Windows editors write
        }
        // the reader replaces undecodable bytes with U+FFFD; JSON cases are ASCII, so this names the exact line
        if (s != null && s.indexOf('\uFFFD') >= 0) {
            throw new InvalidInputException(source + " line " + (lineNumber + 1)
                    + ": not valid UTF-8 (or holds U+FFFD): save the file as UTF-8 text");
        }
        return s;
    }
}
