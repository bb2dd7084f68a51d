package dev.softmaxlab.app.output;

import com.fasterxml.jackson.core.io.NumberOutput;
import dev.softmaxlab.core.precision.Precision;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * Number formatting for people. Non-finite values always print as {@code NaN}, {@code Infinity} and
 * {@code -Infinity} (never clamped, never blank), so a table shows exactly what a path produced.
 */
public final class Numbers {

    private Numbers() {
    }

    /**
     * The shortest decimal that parses back to the same double, in {@link Double#toString}'s style; the same text the
     * JSON output carries (JDK 17's own Double.toString is not always the shortest).
     */
    public static String exact(double v) {
        return NumberOutput.toString(v, true);
    }

    /**
     * The shortest decimal that reads back to {@code v} in the given format: a bf16 value prints with about 3
     * digits, an fp32 value with up to 9, an fp64 value with up to 17. {@code v} should be a value of the format
     * (as every path result is); if it is not, the double's own round-trip text is returned.
     */
    public static String shortest(double v, Precision format) {
        if (!Double.isFinite(v) || v == 0) {
            return exact(v);
        }
        if (format == Precision.FP64) {
            return exact(v);
        }
        if (format == Precision.FP32 && (double) (float) v == v) {
            return NumberOutput.toString((float) v, true);
        }
        for (int digits = 1; digits <= 17; digits++) {
            String s = String.format(Locale.ROOT, "%." + (digits - 1) + "e", v);
            double back = Double.parseDouble(s);
            if (format.round(back) == v) {
                return plain(new BigDecimal(s));
            }
        }
        return exact(v);
    }

    /**
     * {@code v} to a few significant digits (for compact columns); non-finite values by name. The text follows
     * {@link Double#toString}'s style: plain between 1e-3 and 1e7, scientific ({@code 1.5E-9}) outside.
     */
    public static String significant(double v, int digits) {
        if (digits < 1) {
            throw new IllegalArgumentException("digits must be ≥ 1, got " + digits);
        }
        if (!Double.isFinite(v) || v == 0) {
            return exact(v);
        }
        return plain(new BigDecimal(String.format(Locale.ROOT, "%." + (digits - 1) + "e", v)));
    }

    /** A decimal in Double.toString's style, trailing zeros removed but at least one fraction digit. */
    static String plain(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        double abs = Math.abs(s.doubleValue());
        if (abs >= 1e-3 && abs < 1e7) {
            String t = s.toPlainString();
            return t.contains(".") ? t : t + ".0";
        }
        // scientific: one digit before the point
        String unscaled = s.unscaledValue().abs().toString();
        int exponent = unscaled.length() - 1 - s.scale();
        String mantissa = unscaled.substring(0, 1) + "." + (unscaled.length() > 1 ? unscaled.substring(1) : "0");
        return (s.signum() < 0 ? "-" : "") + mantissa + "E" + exponent;
    }
}
