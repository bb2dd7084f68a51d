package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The options of a loss head (see core/NUMERICS.md, "Loss-head options"). The single home of their defaults is
 * {@link #DEFAULTS}, and of their range checks this constructor; the checks that need the batch (class count,
 * precision) are {@link #requireFits}.
 *
 * @param labelSmoothing α in [0, 1): t becomes (1-α)·t + α/C
 * @param reduction      mean, sum or none
 * @param clipEpsilon    ε of {@code separate-clipped}, in (0, 0.5)
 * @param ignoreIndex    a sparse label equal to it marks a row that is left out (PyTorch's default -100); never a
 *                       valid class index
 * @param classWeights   w_c &gt; 0 per class, or {@link ClassWeights#UNIFORM}
 * @param zLoss          λ ≥ 0 of the z-loss λ·lse² per row (0: off)
 * @param softcap        c &gt; 0: the logits become c·tanh(z/c) before the loss; empty: no cap
 * @param chunkSize      classes per chunk of {@code fused-chunked}, ≥ 1
 * @param chunkCarry     the precision {@code fused-chunked} carries its partial sums in between chunks; empty: the
 *                       accumulation precision
 */
public record LossOptions(double labelSmoothing, Reduction reduction, double clipEpsilon, int ignoreIndex,
                          ClassWeights classWeights, double zLoss, OptionalDouble softcap, int chunkSize,
                          Optional<Precision> chunkCarry) {

    public static final LossOptions DEFAULTS = new LossOptions(0.0, Reduction.MEAN, 1e-7, -100, ClassWeights.UNIFORM,
            0.0, OptionalDouble.empty(), 4096, Optional.empty());

    public LossOptions {
        Objects.requireNonNull(reduction, "reduction");
        Objects.requireNonNull(classWeights, "classWeights");
        Objects.requireNonNull(softcap, "softcap");
        Objects.requireNonNull(chunkCarry, "chunkCarry");
        if (!(labelSmoothing >= 0.0 && labelSmoothing < 1.0)) {
            throw new InvalidInputException("label smoothing " + labelSmoothing
                    + " is out of range: give a value in [0, 1), e.g. 0.1 (0 turns smoothing off)");
        }
        if (!(clipEpsilon > 0.0 && clipEpsilon < 0.5)) {
            throw new InvalidInputException("clip epsilon " + clipEpsilon
                    + " is out of range: give a value in (0, 0.5), e.g. 1e-7");
        }
        if (!(zLoss >= 0.0 && zLoss <= Double.MAX_VALUE)) {
            throw new InvalidInputException("z-loss " + zLoss
                    + " is out of range: give a finite λ ≥ 0, e.g. 1e-4 (0 turns the z-loss off)");
        }
        if (softcap.isPresent() && !(softcap.getAsDouble() > 0.0 && softcap.getAsDouble() <= Double.MAX_VALUE)) {
            throw new InvalidInputException("softcap " + softcap.getAsDouble()
                    + " is out of range: give a finite cap > 0, e.g. 30, or leave the softcap out for no cap");
        }
        if (chunkSize < 1) {
            throw new InvalidInputException("chunk size " + chunkSize
                    + " is out of range: give at least 1 class per chunk, e.g. 4096");
        }
    }

    /** The options of the path ids before the loss-head options existed: everything else at its default. */
    public LossOptions(double labelSmoothing, Reduction reduction, double clipEpsilon) {
        this(labelSmoothing, reduction, clipEpsilon, DEFAULTS.ignoreIndex, DEFAULTS.classWeights, DEFAULTS.zLoss,
                DEFAULTS.softcap, DEFAULTS.chunkSize, DEFAULTS.chunkCarry);
    }

    public LossOptions withLabelSmoothing(double alpha) {
        return new LossOptions(alpha, reduction, clipEpsilon, ignoreIndex, classWeights, zLoss, softcap, chunkSize,
                chunkCarry);
    }

    public LossOptions withReduction(Reduction r) {
        return new LossOptions(labelSmoothing, r, clipEpsilon, ignoreIndex, classWeights, zLoss, softcap, chunkSize,
                chunkCarry);
    }

    public LossOptions withClipEpsilon(double eps) {
        return new LossOptions(labelSmoothing, reduction, eps, ignoreIndex, classWeights, zLoss, softcap, chunkSize,
                chunkCarry);
    }

    public LossOptions withIgnoreIndex(int index) {
        return new LossOptions(labelSmoothing, reduction, clipEpsilon, index, classWeights, zLoss, softcap, chunkSize,
                chunkCarry);
    }

    public LossOptions withClassWeights(ClassWeights weights) {
        return new LossOptions(labelSmoothing, reduction, clipEpsilon, ignoreIndex, weights, zLoss, softcap, chunkSize,
                chunkCarry);
    }

    public LossOptions withZLoss(double lambda) {
        return new LossOptions(labelSmoothing, reduction, clipEpsilon, ignoreIndex, classWeights, lambda, softcap,
                chunkSize, chunkCarry);
    }

    /** @param cap c &gt; 0 */
    public LossOptions withSoftcap(double cap) {
        return new LossOptions(labelSmoothing, reduction, clipEpsilon, ignoreIndex, classWeights, zLoss,
                OptionalDouble.of(cap), chunkSize, chunkCarry);
    }

    public LossOptions withoutSoftcap() {
        return new LossOptions(labelSmoothing, reduction, clipEpsilon, ignoreIndex, classWeights, zLoss,
                OptionalDouble.empty(), chunkSize, chunkCarry);
    }

    public LossOptions withChunkSize(int size) {
        return new LossOptions(labelSmoothing, reduction, clipEpsilon, ignoreIndex, classWeights, zLoss, softcap, size,
                chunkCarry);
    }

    public LossOptions withChunkCarry(Precision carry) {
        return new LossOptions(labelSmoothing, reduction, clipEpsilon, ignoreIndex, classWeights, zLoss, softcap,
                chunkSize, Optional.of(carry));
    }

    /** Whether the option is away from its default (so a path that cannot use it must refuse it). */
    public boolean isSet(LossOption option) {
        return switch (option) {
            case LABEL_SMOOTHING -> labelSmoothing != DEFAULTS.labelSmoothing;
            case CLIP_EPSILON -> clipEpsilon != DEFAULTS.clipEpsilon;
            case IGNORE_INDEX -> ignoreIndex != DEFAULTS.ignoreIndex;
            case CLASS_WEIGHTS -> !classWeights.equals(DEFAULTS.classWeights);
            case Z_LOSS -> zLoss != DEFAULTS.zLoss;
            case SOFTCAP -> softcap.isPresent();
            case CHUNK_SIZE -> chunkSize != DEFAULTS.chunkSize;
            case CHUNK_CARRY -> chunkCarry.isPresent();
        };
    }

    /** These options with one option back at its default. */
    public LossOptions without(LossOption option) {
        return switch (option) {
            case LABEL_SMOOTHING -> withLabelSmoothing(DEFAULTS.labelSmoothing);
            case CLIP_EPSILON -> withClipEpsilon(DEFAULTS.clipEpsilon);
            case IGNORE_INDEX -> withIgnoreIndex(DEFAULTS.ignoreIndex);
            case CLASS_WEIGHTS -> withClassWeights(DEFAULTS.classWeights);
            case Z_LOSS -> withZLoss(DEFAULTS.zLoss);
            case SOFTCAP -> withoutSoftcap();
            case CHUNK_SIZE -> withChunkSize(DEFAULTS.chunkSize);
            case CHUNK_CARRY -> new LossOptions(labelSmoothing, reduction, clipEpsilon, ignoreIndex, classWeights,
                    zLoss, softcap, chunkSize, Optional.empty());
        };
    }

    /** The option's value as a user writes it: "0.1", "-100", "1.0,2.0", "none" (no softcap), "accumulation". */
    public String valueText(LossOption option) {
        return switch (option) {
            case LABEL_SMOOTHING -> Double.toString(labelSmoothing);
            case CLIP_EPSILON -> Double.toString(clipEpsilon);
            case IGNORE_INDEX -> Integer.toString(ignoreIndex);
            case CLASS_WEIGHTS -> classWeights.toString();
            case Z_LOSS -> Double.toString(zLoss);
            case SOFTCAP -> softcap.isPresent() ? Double.toString(softcap.getAsDouble()) : "none";
            case CHUNK_SIZE -> Integer.toString(chunkSize);
            case CHUNK_CARRY -> chunkCarry.map(Precision::id).orElse("accumulation");
        };
    }

    /** The precision {@code fused-chunked} carries its partial sums in, for a spec. */
    public Precision chunkCarryFor(PrecisionSpec precision) {
        return chunkCarry.orElse(precision.accumulate());
    }

    /**
     * The checks that need the batch: the class weights have one weight per class, the ignore index is not a
     * class index, and a given chunk carry can hold every value of the compute format.
     *
     * @throws InvalidInputException naming the option, its value and the fix
     */
    public void requireFits(int classes, PrecisionSpec precision) {
        classWeights.requireClasses(classes);
        if (ignoreIndex >= 0 && ignoreIndex < classes) {
            throw new InvalidInputException("ignore index " + ignoreIndex + " is a class index of the " + classes
                    + " classes, so that class could never be learned: give a value outside 0.." + (classes - 1)
                    + ", e.g. -100");
        }
        if (chunkCarry.isPresent() && !holds(chunkCarry.get(), precision.compute())) {
            throw new InvalidInputException("chunk carry " + chunkCarry.get().id() + " is narrower than the compute "
                    + "precision " + precision.compute().id() + ": carry " + precision.compute().id()
                    + " partial sums in " + precision.compute().id() + " itself or a wider format ("
                    + widerThan(precision.compute()) + ")");
        }
    }

    /** Whether every value of {@code format} is a value of {@code carry} (fp64 ⊇ fp32 ⊇ bf16, fp16). */
    static boolean holds(Precision carry, Precision format) {
        if (carry == format || carry == Precision.FP64) {
            return true;
        }
        return carry == Precision.FP32 && format != Precision.FP64;
    }

    private static String widerThan(Precision format) {
        return switch (format) {
            case FP64 -> "none is wider";
            case FP32 -> "fp64";
            case BF16, FP16 -> "fp32 or fp64";
        };
    }
}
