package dev.softmaxlab.core.precision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Round-to-nearest-even against an independent slow reference: the sorted table of every non-negative finite value
 * of the format (built here from the bit layout, not from the code under test), the two neighbours of |x| found by
 * binary search, and the nearer one picked by exact BigDecimal distances, ties to the even bit pattern.
 */
class RoundingPropertyTest {

    /** A format's non-negative finite values as exact BigDecimals, their patterns, and the overflow candidate. */
    private record Table(BigDecimal[] values, int[] patterns, BigDecimal overflow) {

        static Table of(int exponentBits, int fractionBits) {
            int bias = (1 << (exponentBits - 1)) - 1;
            int count = ((1 << exponentBits) - 1) << fractionBits; // exponents below all-ones
            BigDecimal[] values = new BigDecimal[count];
            int[] patterns = new int[count];
            for (int b = 0; b < count; b++) {
                int e = b >>> fractionBits;
                int f = b & ((1 << fractionBits) - 1);
                BigDecimal significand = e == 0
                        ? new BigDecimal(f)
                        : new BigDecimal((1 << fractionBits) + f);
                int exponent = (e == 0 ? 1 : e) - bias - fractionBits;
                values[b] = scale(significand, exponent);
                patterns[b] = b;
            }
            return new Table(values, patterns, scale(BigDecimal.ONE, bias + 1));
        }

        double round(double x) {
            if (Double.isNaN(x) || Double.isInfinite(x)) {
                return x;
            }
            BigDecimal a = new BigDecimal(Math.abs(x));
            int k = Arrays.binarySearch(values, a);
            double result;
            if (k >= 0) {
                result = values[k].doubleValue();
            } else {
                int lower = -k - 2;
                BigDecimal lo = values[lower];
                boolean overflowAbove = lower == values.length - 1;
                BigDecimal hi = overflowAbove ? overflow : values[lower + 1];
                int cmp = a.subtract(lo).compareTo(hi.subtract(a));
                boolean up = cmp > 0 || (cmp == 0 && (patterns[lower] & 1) == 1);
                if (up) {
                    result = overflowAbove ? Double.POSITIVE_INFINITY : hi.doubleValue();
                } else {
                    result = lo.doubleValue();
                }
            }
            return Math.copySign(result, x);
        }

        private static BigDecimal scale(BigDecimal v, int exponent) {
            BigDecimal two = BigDecimal.valueOf(2);
            return exponent >= 0 ? v.multiply(two.pow(exponent)) : v.divide(two.pow(-exponent));
        }
    }

    private static final Table FP16 = Table.of(5, 10);
    private static final Table BF16 = Table.of(8, 7);

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void fp16MatchesReferenceOnRandomDoubles(long seed) {
        check(Precision.FP16, FP16, seed, -30, 17);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void bf16MatchesReferenceOnRandomDoubles(long seed) {
        check(Precision.BF16, BF16, seed, -140, 129);
    }

    /** Random doubles over the exponent range, plus values at, just below and just above every kind of midpoint. */
    private static void check(Precision format, Table table, long seed, int minExp, int maxExp) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int n = 0; n < 10_000; n++) {
            double x;
            if (n % 2 == 0) {
                int e = random.nextInt(minExp, maxExp + 1);
                x = Math.scalb(1.0 + random.nextDouble(), e);
            } else {
                // a midpoint between two neighbours of the format, nudged by -1, 0 or +1 double ulp
                int i = random.nextInt(table.values.length - 1);
                BigDecimal mid = table.values[i].add(table.values[i + 1]).divide(BigDecimal.valueOf(2));
                x = mid.doubleValue(); // exact: a midpoint has one more significant bit than the format
                x = switch (random.nextInt(3)) {
                    case 0 -> Math.nextDown(x);
                    case 1 -> Math.nextUp(x);
                    default -> x;
                };
            }
            if (random.nextBoolean()) {
                x = -x;
            }
            double expected = table.round(x);
            double actual = format.round(x);
            final double input = x;
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                    () -> format + " round(" + input + "): expected " + expected + " got " + actual);
        }
    }

    @Test
    void fp16RoundsDirectlyNotThroughFloat() {
        // exact value lies just above the fp16 tie 1 + 2^-11; the float cast drops the 2^-40 and lands on the tie
        double x = 1 + Math.scalb(1.0, -11) + Math.scalb(1.0, -40);
        assertEquals(1 + Math.scalb(1.0, -10), Precision.FP16.round(x));
        assertEquals(1.0, Precision.FP16.round((float) x), "double rounding through float would give 1");
        assertEquals(FP16.round(x), Precision.FP16.round(x));
    }

    @Test
    void bf16RoundsDirectlyNotThroughFloat() {
        double x = 1 + Math.scalb(1.0, -8) + Math.scalb(1.0, -40);
        assertEquals(1 + Math.scalb(1.0, -7), Precision.BF16.round(x));
        assertEquals(1.0, Precision.BF16.round((float) x));
    }

    @Test
    void fp32IsTheFloatCast() {
        SplittableRandom random = new SplittableRandom(7);
        for (int n = 0; n < 10_000; n++) {
            double x = Math.scalb(random.nextDouble() - 0.5, random.nextInt(-160, 140));
            assertEquals((double) (float) x, Precision.FP32.round(x));
        }
        assertEquals(Double.POSITIVE_INFINITY, Precision.FP32.round(1e39));
    }
}
