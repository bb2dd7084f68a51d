package dev.softmaxlab.core.precision;

import dev.softmaxlab.core.InvalidInputException;
import java.util.Objects;

/**
 * The format a path computes in, and the format its sums accumulate in.
 *
 * <p>For fp64 and fp32 the accumulation is the format itself. For bf16 and fp16 it is fp32 by default, as
 * mixed-precision kernels do, and may be set to the format itself or to fp64. A sum is rounded to the compute format
 * at its end.
 *
 * @param compute    the format of every elementwise result
 * @param accumulate the format sums accumulate in
 */
public record PrecisionSpec(Precision compute, Precision accumulate) {

    public PrecisionSpec {
        Objects.requireNonNull(compute, "compute");
        Objects.requireNonNull(accumulate, "accumulate");
        if (isHalf(compute) && isHalf(accumulate) && compute != accumulate) {
            // core/NUMERICS.md: a half format accumulates in itself, fp32 or fp64; never in the other half format
            throw new InvalidInputException("accumulate = " + accumulate.id() + " cannot apply to " + compute.id()
                    + ": " + compute.id() + " sums accumulate in " + compute.id() + " itself, fp32 or fp64; run "
                    + compute.id() + " and " + accumulate.id() + " separately to sum each in its own format");
        }
    }

    private static boolean isHalf(Precision p) {
        return p == Precision.BF16 || p == Precision.FP16;
    }

    /** The default accumulation for a compute format: itself for fp64/fp32, fp32 for bf16/fp16. */
    public static PrecisionSpec of(Precision compute) {
        return new PrecisionSpec(compute, defaultAccumulation(compute));
    }

    public static Precision defaultAccumulation(Precision compute) {
        return switch (compute) {
            case FP64 -> Precision.FP64;
            case FP32, BF16, FP16 -> Precision.FP32;
        };
    }
}
