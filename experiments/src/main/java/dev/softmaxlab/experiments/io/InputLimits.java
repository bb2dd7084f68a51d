package dev.softmaxlab.experiments.io;

import dev.softmaxlab.core.InvalidInputException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How much the tool reads before it refuses: a whole file (a CSV dataset, a spec, a {@code --config}, a sweep's
 * summary or run file; a JSON document is read whole, so this is its limit too), and a line (a JSON Lines case, a
 * CSV field). Reading stops at the limit instead of buffering everything, and the refusal names the limit and the
 * flag that raises it.
 *
 * <p>The limits in force are set once per command by the command line ({@code --max-file-size},
 * {@code --max-line-size}, inherited by every command) through {@link #use(InputLimits)}; readers deep in a training
 * run (a CSV dataset named in a config) cannot be handed them as an argument without every config carrying them,
 * and a limit is not part of an experiment's config (it must not change a run id).
 *
 * @param maxFileBytes a whole file, in bytes
 * @param maxLineChars a line or a CSV field, in characters
 */
public record InputLimits(long maxFileBytes, int maxLineChars) {

    /** Flags that raise the limits, as messages name them. */
    public static final String FILE_FLAG = "--max-file-size";
    public static final String LINE_FLAG = "--max-line-size";

    /**
     * 256 MiB of file: a CSV of a few million rows, far beyond any spec or config. 64 Mi chars of line: a probe
     * case of about three million logits.
     */
    public static final InputLimits DEFAULTS = new InputLimits(256L << 20, 64 << 20);

    private static volatile InputLimits current = DEFAULTS;
    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*([kmg]?)(i?b)?");

    public InputLimits {
        if (maxFileBytes < 1 || maxLineChars < 1) {
            throw new InvalidInputException("input limits must be at least 1 byte");
        }
    }

    /** The limits in force. */
    public static InputLimits current() {
        return current;
    }

    /** Sets the limits in force (the command line does, once per command). */
    public static void use(InputLimits limits) {
        current = limits;
    }

    /** The refusal of a file over the limit. */
    public InvalidInputException fileTooLarge(String what, long size) {
        return new InvalidInputException(what + " is larger than the " + format(maxFileBytes) + " limit"
                + (size > 0 ? " (" + format(size) + ")" : "") + ": give a smaller file, or raise the limit with "
                + FILE_FLAG + " SIZE, e.g. " + FILE_FLAG + " " + flagValue(Math.max(size, maxFileBytes) * 2));
    }

    /** The refusal of a line (or a CSV field) over the limit. */
    public InvalidInputException lineTooLong(String where) {
        return new InvalidInputException(where + " is longer than the " + formatChars(maxLineChars) + " limit: "
                + "check that the input is what you meant (a text file with line breaks), or raise the limit with "
                + LINE_FLAG + " SIZE, e.g. " + LINE_FLAG + " " + flagValue((long) maxLineChars * 4));
    }

    /**
     * Parses a size such as {@code 512m}, {@code 2g}, {@code 64k} or {@code 1000} (bytes); k, m and g are powers
     * of 1024.
     */
    public static long parseSize(String text, String flag) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new InvalidInputException(flag + " " + UserText.quote(text) + " is not a size: give a number with "
                    + "an optional k, m or g, e.g. 512m");
        }
        long n = Long.parseLong(m.group(1));
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        if (n < 1 || n > (Long.MAX_VALUE >> shift)) {
            throw new InvalidInputException(flag + " " + UserText.quote(text) + " is out of range: give a size from "
                    + "1 to 8e18 bytes");
        }
        return n << shift;
    }

    /** 268435456 as "256 MiB". */
    public static String format(long bytes) {
        return scaled(bytes, "B");
    }

    private static String formatChars(long chars) {
        return scaled(chars, "chars");
    }

    /** A size as a flag value that {@link #parseSize} reads back, rounded up to whole MiB: "512m", "2g". */
    static String flagValue(long bytes) {
        long mib = Math.max(1, (bytes + (1 << 20) - 1) >> 20);
        return mib % 1024 == 0 ? (mib / 1024) + "g" : mib + "m";
    }

    private static String scaled(long n, String unit) {
        String[] prefixes = {"", "Ki", "Mi", "Gi", "Ti"};
        int p = 0;
        double v = n;
        while (v >= 1024 && p < prefixes.length - 1) {
            v /= 1024;
            p++;
        }
        String number = v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
        if (p == 0) {
            return number + " " + unit;
        }
        return number + " " + prefixes[p] + (unit.equals("B") ? "B" : " " + unit);
    }
}
