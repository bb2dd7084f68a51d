package dev.softmaxlab.experiments.probe;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.NumberOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Writes the double arrays of one probe case as JSON, byte for byte what {@code JsonGenerator.writeArray(double[])}
 * writes in the tool's dialect (Jackson's shortest round-trip Schubfach digits, non-finite values as the strings
 * "NaN", "Infinity", "-Infinity"), but formats a value only when the same position of one of the last few arrays
 * of the case did not already hold the very same bits.
 *
 * <p>Why it exists: with full vectors, turning doubles into text is most of a big probe's time (10,000 cases × 8
 * results × 2 vectors × 1,000 classes are 160 million numbers), and a case repeats most of its values in place: a
 * sparse row's gradient equals its probabilities except at the label, {@code separate} and {@code separate-clipped}
 * share one softmax, and fp64 and fp32 results often agree entry for entry where p underflows to 0. Looking back at
 * the same index of the previous {@value #LOOK_BACK} arrays is a few sequential compares, far cheaper than a
 * formatting (and than a hash table, whose random accesses miss the cache). The digits themselves always come from
 * Jackson ({@link NumberOutput#toString(double, boolean)} with the fast writer), so the text of every number is the
 * library's. {@code CaseNumberTextTest} holds it to Jackson's bytes.
 *
 * <p>One instance per thread; not thread-safe. Call {@link #startCase()} before the arrays of each case.
 */
final class CaseNumberText {

    /** How many earlier arrays of the case are searched, nearest first. */
    static final int LOOK_BACK = 8;

    /** The case's arrays so far, and where each entry's text starts in {@link #arena}: offset &lt;&lt; 8 | length. */
    private double[][] arrays = new double[16][];
    private long[][] places = new long[16][];
    private int count;
    /** The text of the case's arrays so far, back to back, as ASCII bytes. */
    private byte[] arena = new byte[1 << 16];
    private int arenaEnd;

    /** Forgets the previous case. */
    void startCase() {
        Arrays.fill(arrays, 0, count, null);
        count = 0;
        arenaEnd = 0;
    }

    /**
     * Writes {@code [v0,v1,...]} as the next value of {@code g}, whose output is {@code out}: the generator writes
     * the separator before the value and is flushed, then the array's bytes go straight to {@code out}.
     *
     * @param values not modified, and not to be modified until the next {@link #startCase()}
     */
    void writeArray(JsonGenerator g, OutputStream out, double[] values) throws IOException {
        g.writeRawValue(""); // the separator (':' after a field name, ',' in an array) and the generator's state
        g.flush();
        int a = count++;
        if (a == arrays.length) {
            arrays = Arrays.copyOf(arrays, a * 2);
            places = Arrays.copyOf(places, a * 2);
        }
        arrays[a] = values;
        if (places[a] == null || places[a].length < values.length) {
            places[a] = new long[values.length];
        }
        long[] here = places[a];
        int oldest = Math.max(0, a - LOOK_BACK);
        int start = arenaEnd;
        int n = start;
        ensure(n + 2);
        arena[n++] = '[';
        for (int j = 0; j < values.length; j++) {
            ensure(n + 34);
            if (j > 0) {
                arena[n++] = ',';
            }
            long bits = Double.doubleToRawLongBits(values[j]);
            long place = -1;
            for (int k = a - 1; k >= oldest; k--) {
                double[] earlier = arrays[k];
                if (j < earlier.length && Double.doubleToRawLongBits(earlier[j]) == bits) {
                    place = places[k][j];
                    break;
                }
            }
            int len;
            if (place >= 0) {
                len = (int) (place & 0xFF);
                System.arraycopy(arena, (int) (place >>> 8), arena, n, len);
            } else {
                String s = format(values[j]);
                len = s.length();
                for (int i = 0; i < len; i++) {
                    arena[n + i] = (byte) s.charAt(i); // ASCII: digits, '-', '.', 'E', and the quoted names
                }
            }
            here[j] = (long) n << 8 | len;
            n += len;
        }
        arena[n++] = ']';
        arenaEnd = n;
        out.write(arena, start, n - start);
    }

    /** The JSON text of one value: a number, or a quoted name for a non-finite one (RFC 8259 has no NaN). */
    static String format(double v) {
        String s = NumberOutput.toString(v, true);
        return Double.isFinite(v) ? s : '"' + s + '"';
    }

    private void ensure(int capacity) {
        if (capacity > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(capacity, arena.length * 2));
        }
    }
}
