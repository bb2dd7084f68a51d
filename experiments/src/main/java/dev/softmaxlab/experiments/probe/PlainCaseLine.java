package dev.softmaxlab.experiments.probe;

import com.fasterxml.jackson.core.io.NumberInput;
import java.util.Arrays;

/**
 * A fast reader for the plain shape of a JSON Lines case: one object whose members are {@code "logits"},
 * {@code "label"} and {@code "target"}, each at most once, with arrays of JSON numbers and an integer label, JSON
 * whitespace anywhere between tokens. Anything else (a string such as "NaN" in an array, an unknown or repeated field,
 * a malformed or out-of-range number, trailing text, a non-ASCII character) makes it give up and return null, and
 * the caller parses the line with Jackson as before, which reads the rest of the format and words every error.
 *
 * <p>Why it exists: big probe inputs are millions of plain numbers, and Jackson's general parser takes its slow path
 * for every number that starts with 0 (all probabilities, most logits). The values are the ones Jackson gives: a
 * decimal is converted by Jackson's own {@link NumberInput#parseDouble(char[], int, int, boolean)} (fast, correctly
 * rounded), and an integer up to 18 digits goes through a long as in Jackson, so "-0" is +0.0.
 * {@code PlainCaseLineTest} holds the two readers to the same cases and the same messages on seeded lines.
 */
final class PlainCaseLine {

    /** Longest number this reader converts (Jackson's own limit is far above; longer ones go to Jackson). */
    private static final int MAX_NUMBER_CHARS = 100;

    /**
     * The members of a plain line; any may be absent (null) — the caller checks the combination as for Jackson.
     *
     * @param logits the logits array, or null
     * @param label  the label, or null
     * @param target the target array, or null
     */
    record Members(double[] logits, Integer label, double[] target) {
    }

    private final char[] c;
    private final int end;
    private int pos;
    private double[] buffer = new double[64];

    private PlainCaseLine(char[] c) {
        this.c = c;
        this.end = c.length;
    }

    /** The line's members, or null when the line is not of the plain shape (then parse it with Jackson). */
    static Members read(char[] line) {
        return new PlainCaseLine(line).object();
    }

    private Members object() {
        double[] logits = null;
        double[] target = null;
        Integer label = null;
        skipWhitespace();
        if (!take('{')) {
            return null;
        }
        skipWhitespace();
        if (pos < end && c[pos] == '}') {
            return null; // empty object: Jackson words the error
        }
        while (true) {
            int key = key();
            skipWhitespace();
            if (!take(':')) {
                return null;
            }
            skipWhitespace();
            switch (key) {
                case 0 -> {
                    if (logits != null || (logits = array()) == null) {
                        return null;
                    }
                }
                case 1 -> {
                    if (target != null || (target = array()) == null) {
                        return null;
                    }
                }
                case 2 -> {
                    if (label != null || (label = integer()) == null) {
                        return null;
                    }
                }
                default -> {
                    return null;
                }
            }
            skipWhitespace();
            if (take(',')) {
                skipWhitespace();
                continue;
            }
            if (take('}')) {
                break;
            }
            return null;
        }
        skipWhitespace();
        return pos == end ? new Members(logits, label, target) : null;
    }

    /** 0 for "logits", 1 for "target", 2 for "label", -1 for anything else. */
    private int key() {
        if (matches("\"logits\"")) {
            return 0;
        }
        if (matches("\"target\"")) {
            return 1;
        }
        if (matches("\"label\"")) {
            return 2;
        }
        return -1;
    }

    private boolean matches(String token) {
        int n = token.length();
        if (end - pos < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (c[pos + i] != token.charAt(i)) {
                return false;
            }
        }
        pos += n;
        return true;
    }

    private double[] array() {
        if (!take('[')) {
            return null;
        }
        skipWhitespace();
        int n = 0;
        if (take(']')) {
            return new double[0];
        }
        while (true) {
            int start = pos;
            boolean integral = number();
            int len = pos - start;
            if (len == 0 || len > MAX_NUMBER_CHARS) {
                return null;
            }
            double v;
            if (integral) {
                if (len > 18) {
                    return null; // Jackson takes a BigInteger here; leave it to Jackson
                }
                v = parseLong(start, pos);
            } else {
                v = NumberInput.parseDouble(c, start, len, true);
                if (Double.isInfinite(v)) {
                    return null; // beyond the double range: Jackson words the error
                }
            }
            if (n == buffer.length) {
                buffer = Arrays.copyOf(buffer, n * 2);
            }
            buffer[n++] = v;
            skipWhitespace();
            if (take(',')) {
                skipWhitespace();
                continue;
            }
            if (take(']')) {
                return Arrays.copyOf(buffer, n);
            }
            return null;
        }
    }

    /** An int label: a JSON integer of at most 9 digits (always within int range). */
    private Integer integer() {
        int start = pos;
        if (!number() || pos == start) {
            return null;
        }
        int digits = pos - start - (c[start] == '-' ? 1 : 0);
        if (digits > 9) {
            return null;
        }
        return (int) parseLong(start, pos);
    }

    /**
     * Moves over one JSON number ({@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?}) and says whether it is an
     * integer (no fraction, no exponent); on a malformed number it stops where the grammar fails and the caller's
     * next check fails (the position is then at a character that cannot follow a number).
     */
    private boolean number() {
        int start = pos;
        take('-');
        if (take('0')) {
            if (pos < end && isDigit(c[pos])) {
                pos = start; // a leading zero: Jackson words the error
                return true;
            }
        } else if (!digits()) {
            pos = start;
            return true;
        }
        boolean integral = true;
        if (take('.')) {
            integral = false;
            if (!digits()) {
                pos = start;
                return true;
            }
        }
        if (pos < end && (c[pos] == 'e' || c[pos] == 'E')) {
            pos++;
            integral = false;
            if (!take('+')) {
                take('-');
            }
            if (!digits()) {
                pos = start;
                return true;
            }
        }
        return integral;
    }

    private boolean digits() {
        int start = pos;
        while (pos < end && isDigit(c[pos])) {
            pos++;
        }
        return pos > start;
    }

    private static boolean isDigit(char ch) {
        return ch >= '0' && ch <= '9';
    }

    /** The value of an optional '-' and up to 18 digits, exact in a long; "-0" is 0. */
    private long parseLong(int from, int to) {
        boolean negative = c[from] == '-';
        long v = 0;
        for (int i = negative ? from + 1 : from; i < to; i++) {
            v = v * 10 + (c[i] - '0');
        }
        return negative ? -v : v;
    }

    private boolean take(char ch) {
        if (pos < end && c[pos] == ch) {
            pos++;
            return true;
        }
        return false;
    }

    private void skipWhitespace() {
        while (pos < end) {
            char ch = c[pos];
            if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r') {
                return;
            }
            pos++;
        }
    }
}
