package dev.softmaxlab.experiments.probe;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.NumberOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Writes the double arrays of one probe case as JSON, byte for byte what {@code JsonGenerator.writeArray(double[])}
 * writes in the tool's dialect (Jackson's shortest round-trip Schubfach digits, non-finite values as the strings
 * "NaN", "Infinity", "-Infinity"), but formats each distinct value only once per case.
 *
 * <p>Why it exists: with full vectors, turning doubles into text is most of a big probe's time (10,000 cases × 8
 * results × 2 vectors × 1,000 classes are 160 million numbers), and a case repeats many of its values: a sparse
 * row's gradient equals its probabilities except at the label, and {@code separate} and {@code separate-clipped}
 * share one softmax. A small open-addressing table from a value's bits to its text skips those repeats. The digits
 * themselves still come from Jackson ({@link NumberOutput#toString(double, boolean)} with the fast writer), so the
 * text of every number is the library's. {@code CaseNumberTextTest} holds it to Jackson's bytes.
 *
 * <p>One instance per thread; not thread-safe. Call {@link #startCase()} before the arrays of each case.
 */
final class CaseNumberText {

    private static final int TABLE_BITS = 15;
    private static final int TABLE_SIZE = 1 << TABLE_BITS;
    private static final int MASK = TABLE_SIZE - 1;
    /** Beyond this many distinct values in a case the table stops taking new ones (it still finds the old ones). */
    private static final int MAX_ENTRIES = TABLE_SIZE / 2;

    private final long[] keys = new long[TABLE_SIZE];
    private final String[] texts = new String[TABLE_SIZE];
    /** An entry is live when its stamp is the current case's: starting a case clears the table in O(1). */
    private final int[] stamps = new int[TABLE_SIZE];
    private int stamp;
    private int entries;
    private char[] chars = new char[1 << 14];

    /** Forgets the previous case's values (they would be found again only by chance, and cost memory). */
    void startCase() {
        stamp++;
        if (stamp == 0) { // wrapped after 2^32 cases: clear for real
            Arrays.fill(stamps, 0);
            stamp = 1;
        }
        entries = 0;
    }

    /**
     * Writes {@code [v0,v1,...]} as the next value of {@code g}.
     *
     * @param values not modified
     */
    void writeArray(JsonGenerator g, double[] values) throws IOException {
        int n = 1;
        ensure(2);
        chars[0] = '[';
        for (int i = 0; i < values.length; i++) {
            String s = text(values[i]);
            ensure(n + s.length() + 2);
            if (i > 0) {
                chars[n++] = ',';
            }
            s.getChars(0, s.length(), chars, n);
            n += s.length();
        }
        chars[n++] = ']';
        g.writeRawValue(chars, 0, n);
    }

    private String text(double v) {
        long bits = Double.doubleToRawLongBits(v);
        int h = (int) ((bits * 0x9E3779B97F4A7C15L) >>> (64 - TABLE_BITS));
        while (stamps[h] == stamp) {
            if (keys[h] == bits) {
                return texts[h];
            }
            h = (h + 1) & MASK;
        }
        String s = format(v);
        if (entries < MAX_ENTRIES) {
            stamps[h] = stamp;
            keys[h] = bits;
            texts[h] = s;
            entries++;
        }
        return s;
    }

    /** The JSON text of one value: a number, or a quoted name for a non-finite one (RFC 8259 has no NaN). */
    static String format(double v) {
        String s = NumberOutput.toString(v, true);
        return Double.isFinite(v) ? s : '"' + s + '"';
    }

    private void ensure(int capacity) {
        if (capacity > chars.length) {
            chars = Arrays.copyOf(chars, Math.max(capacity, chars.length * 2));
        }
    }
}
