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
