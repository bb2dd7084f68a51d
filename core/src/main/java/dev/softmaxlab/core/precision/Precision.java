package dev.softmaxlab.core.precision;

import dev.softmaxlab.core.InvalidInputException;

/**
 * A floating-point format that a loss path can run in. The id is used verbatim in the CLI, the JSON and the README.
 *
 * <p>fp64 is Java double arithmetic, fp32 Java float arithmetic; bf16 and fp16 are emulated by rounding every
 * elementwise result directly from double to the format, round-to-nearest-even (no double rounding through float).
 */
public enum Precision {
    FP64("fp64"),
    FP32("fp32"),
    BF16("bf16"),
    FP16("fp16");

    private final String id;

    Precision(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /**
     * Looks a precision up by its id.
     *
     * @throws IllegalArgumentException naming the value and the valid ids
     */
    public static Precision fromId(String id) {
        for (Precision p : values()) {
            if (p.id.equals(id)) {
                return p;
            }
        }
        throw new InvalidInputException(
                "unknown precision '" + id + "': expected one of fp64, fp32, bf16, fp16");
    }

    /** Rounds x to the nearest value of this format, ties to even; beyond the largest finite goes to ±∞. */
    public double round(double x) {
        throw new UnsupportedOperationException("TODO");
    }

    /** True when x is a (non-zero) subnormal of this format. */
    public boolean isSubnormal(double x) {
        throw new UnsupportedOperationException("TODO");
    }

    /** The distance from |x| to the next larger value of this format (x finite). */
    public double ulp(double x) {
        throw new UnsupportedOperationException("TODO");
    }

    public double maxFinite() {
        throw new UnsupportedOperationException("TODO");
    }

    public double minNormal() {
        throw new UnsupportedOperationException("TODO");
    }

    public double minSubnormal() {
        throw new UnsupportedOperationException("TODO");
    }

    @Override
    public String toString() {
        return id;
    }
}
