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

    /**
     * Rounds x to the nearest value of this format, ties to even; beyond the largest finite goes to ±∞.
     * NaN stays NaN and the sign of zero is kept. fp32 uses the float cast, which is correct round-to-nearest-even
     * from double; bf16 and fp16 round directly from the double's value, never through float.
     */
    public double round(double x) {
        // identity tests on constants rather than a switch: this sits in every inner loop and inlines to 1-2 compares
        if (this == FP64) {
            return x;
        }
        if (this == FP32) {
            return (float) x;
        }
        return this == BF16 ? Bf16.FORMAT.round(x) : Fp16.FORMAT.round(x);
    }

    /** True when x is a (non-zero) subnormal of this format. */
    public boolean isSubnormal(double x) {
        double a = Math.abs(x);
        return a != 0.0 && a < minNormal();
    }

    /**
     * The distance from |x| to the next larger value of this format (x finite, in the format); NaN for non-finite x.
     * For zero it is the smallest subnormal.
     */
    public double ulp(double x) {
        if (!Double.isFinite(x)) {
            return Double.NaN;
        }
        return switch (this) {
            case FP64 -> Math.ulp(x);
            case FP32 -> Math.ulp((float) x);
            case BF16 -> Bf16.FORMAT.ulp(x);
            case FP16 -> Fp16.FORMAT.ulp(x);
        };
    }

    public double maxFinite() {
        return switch (this) {
            case FP64 -> Double.MAX_VALUE;
            case FP32 -> Float.MAX_VALUE;
            case BF16 -> Bf16.FORMAT.maxFinite();
            case FP16 -> Fp16.FORMAT.maxFinite();
        };
    }

    public double minNormal() {
        return switch (this) {
            case FP64 -> Double.MIN_NORMAL;
            case FP32 -> Float.MIN_NORMAL;
            case BF16 -> Bf16.FORMAT.minNormal();
            case FP16 -> Fp16.FORMAT.minNormal();
        };
    }

    public double minSubnormal() {
        return switch (this) {
            case FP64 -> Double.MIN_VALUE;
            case FP32 -> Float.MIN_VALUE;
            case BF16 -> Bf16.FORMAT.minSubnormal();
            case FP16 -> Fp16.FORMAT.minSubnormal();
        };
    }

    /** Significand bits including the implicit bit: 53, 24, 8, 11. */
    public int significandBits() {
        return switch (this) {
            case FP64 -> 53;
            case FP32 -> 24;
            case BF16 -> 8;
            case FP16 -> 11;
        };
    }

    @Override
    public String toString() {
        return id;
    }
}
