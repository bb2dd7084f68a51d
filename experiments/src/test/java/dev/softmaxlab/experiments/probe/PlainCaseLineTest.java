package dev.softmaxlab.experiments.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.InvalidInputException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The parser with the {@link PlainCaseLine} fast path against the Jackson-only parser, on seeded lines of every kind:
 * the same case (every value to the bit, the label, the index) or the same one-line error, whichever the reference
 * gives. The lines mix plain ones with strings, odd numbers, repeated and unknown fields, trailing text and
 * malformed JSON, so that both the fast reader and its fallback are exercised.
 */
class PlainCaseLineTest {

    private final JsonLinesCaseParser fast = new JsonLinesCaseParser("--input x.jsonl", true);
    private final JsonLinesCaseParser reference = new JsonLinesCaseParser("--input x.jsonl", false);

    private static String ws(SplittableRandom r) {
        return switch (r.nextInt(8)) {
            case 0 -> " ";
            case 1 -> "\t";
            case 2 -> "  \r ";
            case 3 -> "\u000B"; // not JSON whitespace
            default -> "";
        };
    }

    private static String number(SplittableRandom r) {
        double v = switch (r.nextInt(8)) {
            case 0 -> r.nextGaussian();
            case 1 -> r.nextGaussian() * 1000;
            case 2 -> r.nextDouble() / 1000;
            case 3 -> Double.longBitsToDouble(r.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL) * (r.nextBoolean() ? 1 : -1);
            case 4 -> Double.longBitsToDouble(r.nextLong() & 0x000F_FFFF_FFFF_FFFFL); // subnormal
            case 5 -> r.nextInt(-1000, 1000);
            case 6 -> (float) r.nextGaussian();
            default -> 0.0;
        };
        return switch (r.nextInt(30)) {
            case 0 -> "-0";
            case 1 -> "-0.0";
            case 2 -> "0";
            case 3 -> "\"NaN\"";
            case 4 -> "\"-Infinity\"";
            case 5 -> "1e400";
            case 6 -> "-1E-400";
            case 7 -> "01";
            case 8 -> "1.";
            case 9 -> ".5";
            case 10 -> "+1";
            case 11 -> "12345678901234567890123"; // beyond a long
            case 12 -> "123456789012345678"; // 18 digits
            case 13 -> "-9007199254740993"; // an integer a double rounds
            case 14 -> "2.5e-3";
            case 15 -> "7E+2";
            case 16 -> "1e";
            case 17 -> "-";
            case 18 -> "0.30000000000000000000000000000000000001";
            case 19 -> "NaN";
            case 20 -> "true";
            case 21 -> "[1]";
            case 22 -> Long.toString(r.nextLong());
            default -> r.nextBoolean() ? Double.toString(v) : String.valueOf(v).toLowerCase();
        };
    }

    private static String array(SplittableRandom r, int n, boolean plain) {
        StringBuilder b = new StringBuilder("[").append(ws(r));
        for (int j = 0; j < n; j++) {
            if (j > 0) {
                b.append(ws(r)).append(',').append(ws(r));
            }
            b.append(plain ? Double.toString(r.nextGaussian()) : number(r));
        }
        return b.append(ws(r)).append(']').toString();
    }

    private static String target(SplittableRandom r, int n) {
        StringBuilder b = new StringBuilder("[");
        for (int j = 0; j < n; j++) {
            b.append(j > 0 ? "," : "").append(j == 0 ? "1" : r.nextInt(20) == 0 ? "1e-7" : "0");
        }
        return b.append(']').toString();
    }

    private static String line(SplittableRandom r) {
        boolean plain = r.nextInt(3) == 0;
        int n = r.nextInt(0, 6);
        StringBuilder b = new StringBuilder(plain ? "" : ws(r)).append('{').append(plain ? "" : ws(r));
        int members = 1 + r.nextInt(3);
        for (int k = 0; k < members; k++) {
            if (k > 0) {
                b.append(plain ? "" : ws(r)).append(',').append(plain ? "" : ws(r));
            }
            int kind = plain ? (k == 0 ? 0 : 1 + r.nextInt(2)) : r.nextInt(8);
            switch (kind) {
                case 0 -> b.append("\"logits\":").append(ws(r)).append(array(r, n, plain));
                case 1 -> b.append("\"label\":").append(ws(r)).append(r.nextInt(10) == 0 ? number(r)
                        : Integer.toString(r.nextInt(-1, n + 1)));
                case 2 -> b.append("\"target\"").append(ws(r)).append(':').append(target(r, n));
                case 3 -> b.append("\"lable\":1");
                case 4 -> b.append("\"logits\":\"1,2\"");
                case 5 -> b.append("\"label\":").append(number(r));
                case 6 -> b.append("\"target\":").append(array(r, n, false));
                default -> b.append("\"logits\":").append(array(r, n, false));
            }
        }
        if (!plain && r.nextInt(6) == 0) {
            b.append(r.nextBoolean() ? "," : "");
        }
        b.append(r.nextInt(15) == 0 ? "" : "}");
        if (!plain && r.nextInt(8) == 0) {
            b.append(r.nextBoolean() ? " {}" : " x");
        }
        return b.append(plain ? "" : ws(r)).toString();
    }

    private static String outcome(JsonLinesCaseParser parser, String text) {
        try {
            ProbeCase c = parser.parse(text, 7, 3);
            StringBuilder b = new StringBuilder("case ").append(c.index()).append(" label ").append(c.label());
            for (double v : c.logits()) {
                b.append(' ').append(Long.toHexString(Double.doubleToRawLongBits(v)));
            }
            if (c.target() != null) {
                b.append(" target");
                for (double v : c.target()) {
                    b.append(' ').append(Long.toHexString(Double.doubleToRawLongBits(v)));
                }
            }
            return b.toString();
        } catch (InvalidInputException e) {
            return "error " + e.getMessage();
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void sameCaseOrSameErrorAsJackson(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int fastAccepted = 0;
        int errors = 0;
        for (int i = 0; i < 5000; i++) {
            String text = line(r);
            String expected = outcome(reference, text);
            assertEquals(expected, outcome(fast, text), text);
            PlainCaseLine.Members m = PlainCaseLine.read(text.toCharArray());
            fastAccepted += m != null ? 1 : 0;
            errors += expected.startsWith("error") ? 1 : 0;
        }
        assertTrue(fastAccepted > 500, "the fast reader must take the plain lines: " + fastAccepted);
        assertTrue(errors > 1000, "and the fallback must be exercised too: " + errors);
    }

    @Test
    void plainLineIsReadAndAwkwardOnesAreLeftToJackson() {
        PlainCaseLine.Members m = PlainCaseLine.read("{\"logits\": [0.5, -0, 1e2], \"label\": 2}".toCharArray());
        assertNotNull(m);
        assertEquals(0x0L, Double.doubleToRawLongBits(m.logits()[1]), "the integer -0 is +0.0, as Jackson reads it");
        assertEquals(100.0, m.logits()[2]);
        assertEquals(2, m.label());
        assertNull(PlainCaseLine.read("{\"logits\":[\"NaN\"],\"label\":0}".toCharArray()));
        assertNull(PlainCaseLine.read("{\"logits\":[1],\"logits\":[2],\"label\":0}".toCharArray()));
        assertNull(PlainCaseLine.read("{\"logits\":[1],\"label\":0} x".toCharArray()));
        assertNull(PlainCaseLine.read("{\"logits\":[1e400],\"label\":0}".toCharArray()));
        assertNull(PlainCaseLine.read("{\"logits\":[1],\"label\":1.0}".toCharArray()));
        assertNull(PlainCaseLine.read("{\"logits\":[1],\"label\":\u0661}".toCharArray()));
    }

    /**
     * A decimal with 1 to 20 significant digits, a fraction of any length and an exponent around the exact range
     * (|power| up to 30), as numpy's and Python's writers spell them: most go through the exact one-operation branch,
     * the others to Jackson.
     */
    private static String shortDecimal(SplittableRandom r) {
        StringBuilder b = new StringBuilder(r.nextBoolean() ? "-" : "");
        int digits = 1 + r.nextInt(20);
        StringBuilder d = new StringBuilder();
        for (int k = 0; k < digits; k++) {
            d.append((char) ('0' + (k == 0 ? 1 + r.nextInt(9) : r.nextInt(10))));
        }
        int point = r.nextInt(digits + 1);
        String leading = r.nextInt(4) == 0 ? "0." + "0".repeat(r.nextInt(8)) : null;
        if (leading != null) {
            b.append(leading).append(d);
        } else if (point == digits) {
            b.append(d).append(".0");
        } else {
            b.append(point == 0 ? "0" : d.substring(0, point)).append('.').append(d.substring(point));
        }
        if (r.nextInt(3) == 0) {
            b.append(r.nextBoolean() ? 'e' : 'E').append(switch (r.nextInt(3)) {
                case 0 -> "+";
                case 1 -> "-";
                default -> "";
            }).append(r.nextInt(31));
        }
        return b.toString();
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12})
    void decimalsGiveTheCorrectlyRoundedBits(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 20_000; i++) {
            String[] numbers = new String[8];
            StringBuilder line = new StringBuilder("{\"logits\":[");
            for (int j = 0; j < numbers.length; j++) {
                numbers[j] = shortDecimal(r);
                line.append(j > 0 ? "," : "").append(numbers[j]);
            }
            String text = line.append("],\"label\":0}").toString();
            PlainCaseLine.Members m = PlainCaseLine.read(text.toCharArray());
            assertNotNull(m, text);
            for (int j = 0; j < numbers.length; j++) {
                // Double.parseDouble is correctly rounded (its Javadoc: the JLS's rounding of the exact decimal)
                assertEquals(Double.doubleToRawLongBits(Double.parseDouble(numbers[j])),
                        Double.doubleToRawLongBits(m.logits()[j]), numbers[j]);
            }
            if (i % 10 == 0) {
                assertEquals(outcome(reference, text), outcome(fast, text), text);
            }
        }
    }

    @Test
    void edgesOfTheExactBranch() {
        // 2^53 = 9007199254740992 is the largest mantissa taken as is; 2^53 + 1 needs rounding, so goes to Jackson;
        // 1e22 is the largest exact power of ten, 1e23 is not an exact double
        String[] numbers = {"9007199254740992.0", "9007199254740993.0", "9.007199254740993", "1.0e22", "1.0e23",
            "1.0e-22", "1.0e-23", "4.35e-20", "123456789012345678.5", "0.1", "0.3", "-0.0", "0.0e-999", "2.5e-3",
            "1.7976931348623157e308", "4.9e-324", "0.000000000000000000000000001"};
        StringBuilder line = new StringBuilder("{\"logits\":[");
        for (int j = 0; j < numbers.length; j++) {
            line.append(j > 0 ? "," : "").append(numbers[j]);
        }
        PlainCaseLine.Members m = PlainCaseLine.read(line.append("],\"label\":0}").toString().toCharArray());
        assertNotNull(m);
        for (int j = 0; j < numbers.length; j++) {
            assertEquals(Double.doubleToRawLongBits(Double.parseDouble(numbers[j])),
                    Double.doubleToRawLongBits(m.logits()[j]), numbers[j]);
        }
    }
}
