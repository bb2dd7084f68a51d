package dev.softmaxlab.experiments.chart;

import java.math.BigDecimal;
import java.util.Locale;

/** Numbers as charts and pages print them: short, the same in every locale, non-finite values by name. */
public final class Numbers {

    private Numbers() {
    }

    /**
     * A short form: integers as integers, others to 4 significant digits ({@code 0.001234}, {@code 1.235e+07});
     * NaN, +∞, −∞ by name.
     */
    public static String compact(double v) {
        if (!Double.isFinite(v)) {
            return Trace.name(v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e6) {
            return new BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
        }
        String e = String.format(Locale.ROOT, "%.3e", v);
        // 1.000e-07 -> 1e-07: trailing zeros of the mantissa say nothing
        return e.replaceFirst("\\.?0+e", "e");
    }
}
