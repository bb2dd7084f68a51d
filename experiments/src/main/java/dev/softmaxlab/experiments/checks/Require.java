package dev.softmaxlab.experiments.checks;

import dev.softmaxlab.experiments.names.NearestName;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Range and membership checks for settings records, each failing with one line that names the key (the config key,
 * which is also the flag's camelCase name), the value and the fix: {@code lr = 0: must be a finite number > 0, e.g.
 * 0.1}. The records call these from their constructors, so every rule is stated once, where the value is made.
 */
public final class Require {

    private Require() {
    }

    /** {@code value} is finite and inside the interval; {@code hi} may be +∞ (no upper bound). */
    public static void range(String key, double value, double lo, boolean loIncluded, double hi, boolean hiIncluded,
                             String example) {
        boolean ok = Double.isFinite(value) && (loIncluded ? value >= lo : value > lo)
                && (hiIncluded ? value <= hi : value < hi);
        if (!ok) {
            String bounds = (loIncluded ? "in [" : "in (") + format(lo) + ", " + format(hi) + (hiIncluded ? "]" : ")");
            if (hi == Double.POSITIVE_INFINITY) {
                bounds = (loIncluded ? ">= " : "> ") + format(lo);
            }
            throw new SettingException(key, key + " = " + format(value) + ": must be a finite number " + bounds
                    + ", e.g. " + example);
        }
    }

    /** A finite number > 0. */
    public static void positive(String key, double value, String example) {
        range(key, value, 0, false, Double.POSITIVE_INFINITY, false, example);
    }

    /** A finite number ≥ 0. */
    public static void nonNegative(String key, double value, String example) {
        range(key, value, 0, true, Double.POSITIVE_INFINITY, false, example);
    }

    /** A number in [0, 1). */
    public static void unitInterval(String key, double value, String example) {
        range(key, value, 0, true, 1, false, example);
    }

    public static void atLeast(String key, long value, long min) {
        if (value < min) {
            throw new SettingException(key, key + " = " + value + ": must be >= " + min);
        }
    }

    /** {@code value} is one of {@code valid}; else the valid values and the nearest one. */
    public static void oneOf(String key, String value, List<String> valid) {
        if (!valid.contains(value)) {
            throw notOneOf(key, value, valid);
        }
    }

    public static SettingException notOneOf(String key, String value, Collection<String> valid) {
        return new SettingException(key, key + " = '" + value + "': expected one of " + String.join(", ", valid)
                + NearestName.hint(value, valid));
    }

    /** One element of a list key is not one of {@code valid}. */
    public static void elementOneOf(String key, int index, String value, List<String> valid) {
        if (!valid.contains(value)) {
            throw new SettingException(key, index, notOneOf(key, value, valid).getMessage(), null);
        }
    }

    /** A failure of {@code key} with its own wording. */
    public static SettingException fail(String key, String message) {
        return new SettingException(key, message);
    }

    /** A non-empty list of distinct ids. */
    public static void distinct(String key, List<String> ids, List<String> valid) {
        if (ids.isEmpty()) {
            throw new SettingException(key, key + " = []: needs at least one of " + String.join(", ", valid));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            String v = ids.get(i);
            if (!seen.add(v)) {
                throw new SettingException(key, i, key + " = " + ids + ": '" + v + "' is listed twice; list it once",
                        null);
            }
        }
    }

    /** A number as a user wrote it: 1 rather than 1.0, 1e-7 kept as Java prints it. */
    public static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
