package dev.softmaxlab.core.exact;

import dev.softmaxlab.core.precision.Precision;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DoubleDoubleTest {

    private static final MathContext MC = new MathContext(50);

    /** |value - expected| / |expected|, in BigDecimal. */
    private static double relativeError(DoubleDouble value, BigDecimal expected) {
        return value.toBigDecimal().subtract(expected).abs().divide(expected.abs(), MC).doubleValue();
    }

    /**
     * Expected values from mpmath at 50 digits for the exact double arguments:
     * {@code mp.mp.dps = 50; mp.nstr(mp.exp(mp.mpf(x)), 40)} with x a Python float (so mpf holds x's exact value).
     */
    @ParameterizedTest
    @CsvSource({
        "1.0, 2.718281828459045235360287471352662497757",
        "-1.0, 0.3678794411714423215955237701614608674458",
        "0.5, 1.648721270700128146848650787814163571654",
        "-0.001, 0.9990004998333749916472594817327737351576",
        "-20.0, 0.000000002061153622438557827965940380155820976376",
        "-600.0, 2.650396553004310816338679447269582701529e-261",
        "3.3, 27.11263892065788261064621402022534641039",
        "-37.25, 6.645544172915070539633280106185789357558e-17",
        "-0.0001, 0.9999000049998333374951249736465499541921"
    })
    void expMatchesMpmath(double x, String expected) {
        double err = relativeError(DoubleDouble.of(x).exp(), new BigDecimal(expected));
        assertTrue(err < 0x1p-100, () -> "exp(" + x + ") relative error " + err);
    }

    /** mpmath: {@code mp.nstr(mp.log1p(mp.mpf(x)), 40)}, x a Python float. */
    @ParameterizedTest
    @CsvSource({
        "1e-18, 1.000000000000000071042424054621924437319e-18",
        "1e-05, 0.000009999950000333331651375692083392023444602",
        "0.01, 0.009950330853168083054321117066257624171827",
        "0.5, 0.405465108108164381978013115464349136572",
        "3.0, 1.386294361119890618834464242916353136151",
        "1000.0, 6.908754779315220585220783762973627634264",
        "1e300, 690.7755278982137052579021966605136811507"
    })
    void log1pMatchesMpmath(double x, String expected) {
        double err = relativeError(DoubleDouble.of(x).log1p(), new BigDecimal(expected));
        assertTrue(err < 0x1p-100, () -> "log1p(" + x + ") relative error " + err);
    }

    /** mpmath: {@code mp.nstr(mp.log(mp.mpf(x)), 40)}. */
    @ParameterizedTest
    @CsvSource({
        "2.0, 0.6931471805599453094172321214581765680755",
        "1e-300, -690.7755278982137051803383445701005029086",
        "1e300, 690.7755278982137052579021966605136811507",
        "0.75, -0.2876820724517809274392190059938274315035"
    })
    void logMatchesMpmath(double x, String expected) {
        double err = relativeError(DoubleDouble.of(x).log(), new BigDecimal(expected));
        assertTrue(err < 0x1p-100, () -> "log(" + x + ") relative error " + err);
    }

    /** Arithmetic on random double-doubles against BigDecimal: within a few 2^-106 relative. */
    @RepeatedTest(200)
    void arithmeticMatchesBigDecimal(RepetitionInfo info) {
        SplittableRandom r = new SplittableRandom(9000 + info.getCurrentRepetition());
        DoubleDouble a = DoubleDouble.of(r.nextDouble(-1e3, 1e3), r.nextDouble(-1, 1) * 1e-14);
        DoubleDouble b = DoubleDouble.of(r.nextDouble(-1e3, 1e3), r.nextDouble(-1, 1) * 1e-14);
        BigDecimal x = a.toBigDecimal();
        BigDecimal y = b.toBigDecimal();
        assertTrue(relativeError(a.add(b), x.add(y)) < 0x1p-103);
        assertTrue(relativeError(a.mul(b), x.multiply(y)) < 0x1p-103);
        assertTrue(relativeError(a.div(b), x.divide(y, MC)) < 0x1p-103);
        // exp of a random argument against the log identity log(exp(x)) = x
        DoubleDouble e = DoubleDouble.of(r.nextDouble(-60, 60)).exp();
        assertTrue(relativeError(e.log(), DoubleDouble.of(Math.log(e.hi())).toBigDecimal()) < 1e-10);
    }

    /** exp across the table's whole period and sign: e^x·e^-x = 1 to 2^-100. */
    @RepeatedTest(100)
    void expOfXTimesExpOfMinusXIsOne(RepetitionInfo info) {
        SplittableRandom r = new SplittableRandom(77 + info.getCurrentRepetition());
        DoubleDouble x = DoubleDouble.of(r.nextDouble(-300, 300), r.nextDouble(-1, 1) * 1e-20);
        DoubleDouble product = x.exp().mul(x.negate().exp());
        assertTrue(relativeError(product, BigDecimal.ONE) < 0x1p-100, () -> x + ": " + product);
    }

    /** ln 2 to 58 digits, from mpmath: {@code mp.mp.dps = 60; mp.nstr(mp.log(2), 58)}. */
    private static final BigDecimal LN2 = new BigDecimal("0.6931471805599453094172321214581765680755001343602552541207");
    private static final MathContext MC60 = new MathContext(60);

    /**
     * e^x in BigDecimal, independently of the class under test: x = k·ln2 + r with |r| ≤ ln2/2, e^r by its Taylor
     * series at 60 digits, times 2^k exactly.
     */
    private static BigDecimal bigExp(BigDecimal x) {
        int k = x.divide(LN2, MC60).setScale(0, java.math.RoundingMode.HALF_EVEN).intValueExact();
        BigDecimal r = x.subtract(LN2.multiply(BigDecimal.valueOf(k)), MC60);
        BigDecimal sum = BigDecimal.ONE;
        BigDecimal term = BigDecimal.ONE;
        for (int n = 1; n < 80; n++) {
            term = term.multiply(r, MC60).divide(BigDecimal.valueOf(n), MC60);
            sum = sum.add(term, MC60);
        }
        BigDecimal two = BigDecimal.valueOf(2);
        return k >= 0 ? sum.multiply(two.pow(k)) : sum.divide(two.pow(-k)); // a power of 2 divides exactly
    }

    /**
     * exp over the reference's whole range, against BigDecimal: seeded random (hi, lo) arguments from -745 to 709,
     * a third of them on the table's steps n·ln2/1024 (where the reduced argument is near 0 and its sign flips) and
     * a third near the largest and the subnormal results. Relative error below 2^-100 while the result's low part
     * is a normal double (above 2^-960); below that, within 2^-100 relative plus the subnormal spacing.
     */
    @RepeatedTest(300)
    void expMatchesBigDecimalAcrossItsRange(RepetitionInfo info) {
        SplittableRandom r = new SplittableRandom(31_337 + info.getCurrentRepetition());
        double x = switch (info.getCurrentRepetition() % 3) {
            case 0 -> r.nextDouble(-745, 709.7);
            case 1 -> r.nextInt(-1_100_000, 1_048_000) * (0.6931471805599453 / 1024) + r.nextDouble(-1, 1) * 1e-12;
            default -> r.nextBoolean() ? r.nextDouble(700, 709.7) : r.nextDouble(-745, -700);
        };
        double lo = r.nextDouble(-0.5, 0.5) * Math.ulp(x);
        DoubleDouble arg = DoubleDouble.of(x, lo);
        BigDecimal expected = bigExp(arg.toBigDecimal());
        DoubleDouble got = arg.exp();
        BigDecimal err = got.toBigDecimal().subtract(expected).abs();
        BigDecimal allowed = expected.multiply(new BigDecimal(0x1p-100));
        if (got.hi() < 0x1p-960) {
            allowed = allowed.add(new BigDecimal(Double.MIN_VALUE));
        }
        assertTrue(err.compareTo(allowed) <= 0, () -> "exp(" + arg + "): " + got + " vs " + expected);
    }

    @Test
    void rounding() {
        // 1 + 2^-24 is the fp32 tie between 1 and 1 + 2^-23; the low part decides
        assertEquals(1.0 + 0x1p-23, DoubleDouble.of(1.0 + 0x1p-24, 0x1p-80).round(Precision.FP32));
        assertEquals(1.0, DoubleDouble.of(1.0 + 0x1p-24, -0x1p-80).round(Precision.FP32));
        assertEquals(1.0, DoubleDouble.of(1.0 + 0x1p-24, 0.0).round(Precision.FP32)); // a true tie: to even
        // bf16 tie between 1 and 1 + 2^-7
        assertEquals(1.0 + 0x1p-7, DoubleDouble.of(1.0 + 0x1p-8, 1e-30).round(Precision.BF16));
        assertEquals(Float.MAX_VALUE, DoubleDouble.of(Float.MAX_VALUE, 1e10).round(Precision.FP32));
        assertEquals(3.0, DoubleDouble.of(3.0, 1e-20).round(Precision.FP64));
    }
}
