package dev.softmaxlab.experiments.sweep;

import dev.softmaxlab.core.InvalidInputException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The I-th of N disjoint parts of a grid (1 ≤ I ≤ N): the runs whose grid index i has {@code i mod N = I-1}.
 * Deterministic and balanced to within one run, so a CI matrix, a Slurm array or an indexed job can each take one.
 */
public record Shard(int index, int count) {

    /** The whole grid. */
    public static final Shard ALL = new Shard(1, 1);

    private static final Pattern FORM = Pattern.compile("(\\d{1,9})/(\\d{1,9})");

    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new InvalidInputException("bad shard " + index + "/" + count + ": give I/N with 1 ≤ I ≤ N, such as 1/3");
        }
    }

    /** Parses {@code I/N}. */
    public static Shard parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new InvalidInputException("bad --shard '" + text + "': give I/N with 1 ≤ I ≤ N, such as 1/3");
        }
        int i = Integer.parseInt(m.group(1));
        int n = Integer.parseInt(m.group(2));
        if (n < 1 || i < 1 || i > n) {
            throw new InvalidInputException("bad --shard '" + text + "': I must be between 1 and N (" + n
                    + "), such as 1/" + Math.max(n, 1));
        }
        return new Shard(i, n);
    }

    public boolean includes(int gridIndex) {
        return gridIndex % count == index - 1;
    }

    public boolean isAll() {
        return count == 1;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
