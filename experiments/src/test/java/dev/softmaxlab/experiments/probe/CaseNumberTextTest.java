package dev.softmaxlab.experiments.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link CaseNumberText} against the generator's own {@code writeArray}: the same bytes for arrays of every kind of
 * double (all exponent ranges, subnormals, float-valued, ±0, non-finite), with values repeated within and across
 * arrays of a case, in place (the same index of an earlier array, near and beyond the look-back) and elsewhere, and
 * across cases (the reuse must never hand back a stale entry).
 */
class CaseNumberTextTest {

    /** Doubles of every kind, repeats included. */
    private static double draw(SplittableRandom r, double[] recent) {
        return switch (r.nextInt(10)) {
            case 0 -> (float) r.nextDouble(-1, 1);
            case 1 -> Double.longBitsToDouble(r.nextLong() & 0x000F_FFFF_FFFF_FFFFL); // subnormal or +0
            case 2 -> Double.longBitsToDouble(r.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL) * (r.nextBoolean() ? 1 : -1);
            case 3 -> r.nextDouble() * Math.pow(10, r.nextInt(-320, 308));
            case 4 -> r.nextInt(-100_000, 100_000);
            case 5 -> switch (r.nextInt(5)) {
                case 0 -> Double.NaN;
                case 1 -> Double.POSITIVE_INFINITY;
                case 2 -> Double.NEGATIVE_INFINITY;
                case 3 -> -0.0;
                default -> Double.MIN_VALUE;
            };
            default -> recent[r.nextInt(recent.length)]; // a repeat
        };
    }

    private static String viaWriteArray(double[][] arrays) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = ProbeJson.generator(out)) {
            g.writeStartObject();
            for (int a = 0; a < arrays.length; a++) {
                g.writeFieldName("v" + a);
                g.writeArray(arrays[a], 0, arrays[a].length);
                g.writeNumberField("after", a);
            }
            g.writeEndObject();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String viaCaseNumberText(CaseNumberText numbers, double[][] arrays) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        numbers.startCase();
        try (JsonGenerator g = ProbeJson.generator(out)) {
            g.writeStartObject();
            for (int a = 0; a < arrays.length; a++) {
                g.writeFieldName("v" + a);
                numbers.writeArray(g, out, arrays[a]);
                g.writeNumberField("after", a);
            }
            g.writeEndObject();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void sameBytesAsWriteArray(long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        CaseNumberText numbers = new CaseNumberText(); // one instance across cases, as a worker thread uses it
        double[] recent = new double[64];
        int total = 0;
        for (int c = 0; c < 60; c++) {
            int count = 1 + r.nextInt(20); // beyond the look-back too
            int length = r.nextInt(0, 1500);
            double[][] arrays = new double[count][];
            for (int a = 0; a < count; a++) {
                arrays[a] = new double[r.nextInt(4) == 0 ? r.nextInt(0, 1500) : length];
                for (int j = 0; j < arrays[a].length; j++) {
                    int k = a > 0 ? r.nextInt(a) : -1; // an earlier array: repeat its value in place, often
                    double v = k >= 0 && j < arrays[k].length && r.nextBoolean() ? arrays[k][j] : draw(r, recent);
                    recent[r.nextInt(recent.length)] = v;
                    arrays[a][j] = v;
                }
                total += arrays[a].length;
            }
            assertEquals(viaWriteArray(arrays), viaCaseNumberText(numbers, arrays), "case " + c);
        }
        assertTrue(total > 100_000, "hundreds of thousands of values: " + total);
    }

    @Test
    void longArraysAndTheirCopiesWriteCorrectly() throws IOException {
        SplittableRandom r = new SplittableRandom(7);
        double[] big = new double[50_000]; // the buffer grows while text is copied within it
        for (int j = 0; j < big.length; j++) {
            big[j] = r.nextDouble() * Math.pow(2, r.nextInt(-1074, 1023));
        }
        double[][] arrays = {big, big.clone()};
        assertEquals(viaWriteArray(arrays), viaCaseNumberText(new CaseNumberText(), arrays));
    }

    @Test
    void nonFiniteValuesAreQuotedNames() {
        assertEquals("\"NaN\"", CaseNumberText.format(Double.NaN));
        assertEquals("\"Infinity\"", CaseNumberText.format(Double.POSITIVE_INFINITY));
        assertEquals("\"-Infinity\"", CaseNumberText.format(Double.NEGATIVE_INFINITY));
        assertEquals("-0.0", CaseNumberText.format(-0.0));
        assertEquals("4.9E-324", CaseNumberText.format(Double.MIN_VALUE));
        assertEquals("-2.2250738585072014E-308", CaseNumberText.format(-Double.MIN_NORMAL)); // among the longest
    }
}
