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
 * for every number that starts with 0 (all probabilities, most logits). The values are the ones Jackson gives, since
 * both are correctly rounded: a short decimal (the common case: numpy and Python write few digits) is read in the same
 * pass that checks its grammar and converted exactly (see {@link #value()}), any other decimal by Jackson's own
 * {@link NumberInput#parseDouble(char[], int, int, boolean)}, and an integer up to 18 digits goes through a long as in
 * Jackson, so "-0" is +0.0. {@code PlainCaseLineTest} holds the two readers to the same cases and the same messages
 * on seeded lines, and the short decimals to {@link Double#parseDouble}.
 */
final class PlainCaseLine {

    /** Longest number this reader converts (Jackson's own limit is far above; longer ones go to Jackson). */
    private static final int MAX_NUMBER_CHARS = 100;
    /** Significant digits a long holds exactly whatever they are. */
    private static final int MAX_DIGITS = 18;
    /** 2^53: every integer up to it is an exact double. */
    private static final long EXACT_MANTISSA = 1L << 53;
    /** 10^22 is the largest power of ten that is an exact double (5^22 < 2^53). */
    private static final int MAX_EXACT_POWER = 22;
    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    };

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
    /** Set by {@link #value()} when the line is not plain. */
    private boolean failed;

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
            double v = value();
            if (failed) {
                return null;
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

    /**
     * The array element at {@code pos}, moving over it; sets {@link #failed} when the caller must leave the line to
     * Jackson (malformed, too long, beyond a long or beyond the double range).
     *
     * <p>One pass gathers the sign, up to 18 significant digits in a long, the decimal exponent and whether the number
     * is an integer. A decimal whose digits fit in 2^53 with a power of ten up to 22 is Clinger's exact case: both
     * operands are exact doubles, so the one IEEE multiplication or division is correctly rounded and gives the bits
     * Jackson's parser gives. Any other decimal goes to Jackson's {@link NumberInput#parseDouble}.
     */
    private double value() {
        // locals rather than fields in the loops: this is the hot loop of a big input
        final char[] s = c;
        final int n = end;
        final int start = pos;
        int p = start;
        boolean negative = p < n && s[p] == '-';
        if (negative) {
            p++;
        }
        long m = 0;
        int significant = 0;
        int fractionDigits = 0;
        boolean integral = true;
        if (p < n && s[p] == '0') {
            p++;
            if (p < n && isDigit(s[p])) {
                return fail(); // a leading zero: Jackson words the error
            }
        } else {
            int from = p;
            for (; p < n && isDigit(s[p]); p++) {
                int d = s[p] - '0';
                if (m != 0 || d != 0) {
                    significant++;
                    m = significant <= MAX_DIGITS ? m * 10 + d : m;
                }
            }
            if (p == from) {
                return fail();
            }
        }
        if (p < n && s[p] == '.') {
            p++;
            integral = false;
            int from = p;
            for (; p < n && isDigit(s[p]); p++) {
                int d = s[p] - '0';
                if (m != 0 || d != 0) {
                    significant++;
                    m = significant <= MAX_DIGITS ? m * 10 + d : m;
                }
            }
            fractionDigits = p - from;
            if (fractionDigits == 0) {
                return fail();
            }
        }
        int exponent = 0;
        if (p < n && (s[p] == 'e' || s[p] == 'E')) {
            p++;
            integral = false;
            boolean negativeExponent = false;
            if (p < n && (s[p] == '+' || s[p] == '-')) {
                negativeExponent = s[p] == '-';
                p++;
            }
            int from = p;
            for (; p < n && isDigit(s[p]); p++) {
                exponent = Math.min(exponent * 10 + (s[p] - '0'), 100_000); // capped: beyond it Jackson decides
            }
            if (p == from) {
                return fail();
            }
            exponent = negativeExponent ? -exponent : exponent;
        }
        pos = p;
        int len = p - start;
        if (len > MAX_NUMBER_CHARS) {
            return fail();
        }
        if (integral) {
            if (len > 18) {
                return fail(); // Jackson takes a BigInteger here; leave it to Jackson
            }
            return negative ? -m : m; // through a long as in Jackson: "-0" is +0.0
        }
        int power = exponent - fractionDigits;
        if (significant <= MAX_DIGITS && m <= EXACT_MANTISSA && power >= -MAX_EXACT_POWER
                && power <= MAX_EXACT_POWER) {
            double v = power >= 0 ? m * POWERS_OF_TEN[power] : m / POWERS_OF_TEN[-power];
            return negative ? -v : v;
        }
        double v = NumberInput.parseDouble(s, start, len, true);
        return Double.isInfinite(v) ? fail() : v; // beyond the double range: Jackson words the error
    }

    private double fail() {
        failed = true;
        return 0;
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
