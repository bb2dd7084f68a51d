package dev.softmaxlab.experiments.bench;

import dev.softmaxlab.core.InvalidInputException;

/**
 * A batch shape [B, C] to time.
 *
 * @param rows    B ≥ 1
 * @param classes C ≥ 1, with B·C within one Java array
 */
public record BenchShape(int rows, int classes) {

    /** The largest number of elements one Java array holds (a little under 2^31). */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    public BenchShape {
        if (rows < 1 || classes < 1) {
            throw new InvalidInputException("--shape " + rows + "x" + classes
                    + ": rows and classes must be at least 1, e.g. 4096x1000");
        }
        if ((long) rows * classes > MAX_ELEMENTS) {
            throw new InvalidInputException("--shape " + rows + "x" + classes + " has " + (long) rows * classes
                    + " elements, more than the " + MAX_ELEMENTS + " a Java array holds: use fewer rows");
        }
    }

    /** Parses {@code BxC}, e.g. {@code 4096x1000}. */
    public static BenchShape parse(String text) {
        String s = text.trim();
        int x = s.indexOf('x');
        if (x <= 0 || x == s.length() - 1) {
            throw new InvalidInputException("--shape '" + text + "' is not BxC: give rows x classes, e.g. 4096x1000");
        }
        long rows;
        long classes;
        try {
            rows = Long.parseLong(s.substring(0, x));
            classes = Long.parseLong(s.substring(x + 1));
        } catch (NumberFormatException e) {
            throw new InvalidInputException("--shape '" + text + "' is not BxC with whole numbers: give e.g. 4096x1000");
        }
        if (rows < 1 || classes < 1) {
            throw new InvalidInputException("--shape " + text + ": rows and classes must be at least 1, e.g. 4096x1000");
        }
        if (rows * classes > MAX_ELEMENTS || rows > Integer.MAX_VALUE || classes > Integer.MAX_VALUE) {
            throw new InvalidInputException("--shape " + text + " has " + rows * classes + " elements, more than the "
                    + MAX_ELEMENTS + " a Java array holds: use fewer rows");
        }
        return new BenchShape((int) rows, (int) classes);
    }

    /** B·C. */
    public long elements() {
        return (long) rows * classes;
    }

    @Override
    public String toString() {
        return rows + "x" + classes;
    }
}
