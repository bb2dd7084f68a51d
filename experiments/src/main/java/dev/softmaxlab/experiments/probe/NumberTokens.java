package dev.softmaxlab.experiments.probe;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads one number as a user writes it: a decimal ({@code -1.5e3}), a hex float ({@code 0x1p-24}, exact bits), or a
 * non-finite name: {@code NaN}, {@code Infinity}, {@code -Infinity}, {@code inf}, {@code -inf} (any case, optional
 * {@code +}). A finite literal too large for a double is refused rather than silently read as infinity.
 */
public final class NumberTokens {

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern HEX = Pattern.compile("[+-]?0[xX]([0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)[pP][+-]?\\d+");

    private NumberTokens() {
    }

    /**
     * The value of {@code token}, or throws {@link NumberFormatException} whose message says what is wrong with it
     * (the caller adds where the token came from).
     */
    public static double parse(String token) {
        String t = token.trim();
        switch (t.toLowerCase(Locale.ROOT)) {
            case "nan", "+nan", "-nan":
                return Double.NaN;
            case "infinity", "+infinity", "inf", "+inf":
                return Double.POSITIVE_INFINITY;
            case "-infinity", "-inf":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        if (!DECIMAL.matcher(t).matches() && !HEX.matcher(t).matches()) {
            throw new NumberFormatException("'" + token + "' is not a number (write e.g. 1.5, -2e3, NaN, Infinity, -Infinity)");
        }
        double v = Double.parseDouble(t);
        if (Double.isInfinite(v)) {
            throw new NumberFormatException("'" + token + "' is beyond the double range (write Infinity or -Infinity if you mean it)");
        }
        return v;
    }

    /** Checks a number Jackson has already read, by its text, for the same overflow rule. */
    static double checkFinite(double v, String text) {
        if (Double.isInfinite(v)) {
            throw new NumberFormatException("'" + text + "' is beyond the double range (write \"Infinity\" or \"-Infinity\" if you mean it)");
        }
        return v;
    }
}
