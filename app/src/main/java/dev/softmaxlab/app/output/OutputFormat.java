package dev.softmaxlab.app.output;

import java.util.Arrays;
import java.util.Iterator;

/** The formats a command can write. Each command accepts a subset, checked by the output mixin. */
public enum OutputFormat {
    /** Aligned plain-text tables for a terminal. */
    TEXT("text"),
    /** One strict RFC 8259 document with a schema id. */
    JSON("json"),
    /** JSON Lines: one object per line, streamed. */
    JSONL("jsonl"),
    /** Comma-separated values with a header row. */
    CSV("csv");

    private final String id;

    OutputFormat(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return id;
    }

    /** All format ids, as picocli completion candidates. */
    public static final class Ids implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(values()).map(OutputFormat::id).iterator();
        }
    }
}
