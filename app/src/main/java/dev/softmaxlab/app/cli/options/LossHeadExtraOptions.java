package dev.softmaxlab.app.cli.options;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.core.loss.ClassWeights;
import dev.softmaxlab.core.loss.LossOptions;
import dev.softmaxlab.core.precision.Precision;
import picocli.CommandLine.Option;

/**
 * The loss-head options beyond label smoothing and ε (core/NUMERICS.md, "Loss-head options"): {@code --ignore-index},
 * {@code --class-weights}, {@code --z-loss}, {@code --softcap}, {@code --chunk-size} and {@code --chunk-carry}. Use
 * with {@code @Mixin} beside {@link LossHeadOptions}: {@code extra.applyTo(lossHead.lossOptions())}. Defaults and
 * range checks are core's ({@link LossOptions}); an option left out stays at core's default.
 */
public final class LossHeadExtraOptions {

    @Option(names = "--ignore-index", order = 16, paramLabel = "INDEX",
            description = "A label equal to INDEX marks a row that is left out: loss and gradient 0, not counted in "
                    + "the mean. Must not be a class index (default: -100, as PyTorch).")
    Integer ignoreIndex;

    @Option(names = "--class-weights", order = 17, paramLabel = "W", split = ",",
            converter = Converters.FiniteDoubleConverter.class,
            description = "One weight > 0 per class, comma-separated, e.g. 1,2,0.5 (PyTorch's weight=); a sparse "
                    + "mean then divides by the sum of the kept rows' label weights (default: none).")
    double[] classWeights;

    @Option(names = "--z-loss", order = 18, paramLabel = "LAMBDA", converter = Converters.FiniteDoubleConverter.class,
            description = "Add λ·lse² per row, lse the log-sum-exp of the logits (PaLM uses 1e-4) (default: 0, off).")
    Double zLoss;

    @Option(names = "--softcap", order = 19, paramLabel = "C", converter = Converters.FiniteDoubleConverter.class,
            description = "Cap the logits: z becomes c·tanh(z/c) before the loss (Gemma 2 uses 30); a tanh that "
                    + "rounds to ±1 is counted as saturated (default: none).")
    Double softcap;

    @Option(names = "--chunk-size", order = 20, paramLabel = "N",
            description = "Classes per chunk of fused-chunked (default: 4096).")
    Integer chunkSize;

    @Option(names = "--chunk-carry", order = 21, paramLabel = "PRECISION",
            converter = Converters.PrecisionConverter.class, completionCandidates = Choices.PrecisionIds.class,
            description = "Precision fused-chunked carries its partial sums in between chunks: the format itself or "
                    + "a wider one (default: the accumulation precision).")
    Precision chunkCarry;

    /**
     * The options with every flag given here applied. The checks are core's; a refused value is named by its flag.
     *
     * @throws InvalidInputException naming the flag, the value and the fix
     */
    public LossOptions applyTo(LossOptions options) {
        LossOptions o = options;
        if (ignoreIndex != null) {
            o = o.withIgnoreIndex(ignoreIndex);
        }
        if (classWeights != null) {
            o = flagged("--class-weights", o, x -> x.withClassWeights(ClassWeights.of(classWeights)));
        }
        if (zLoss != null) {
            o = flagged("--z-loss", o, x -> x.withZLoss(zLoss));
        }
        if (softcap != null) {
            o = flagged("--softcap", o, x -> x.withSoftcap(softcap));
        }
        if (chunkSize != null) {
            o = flagged("--chunk-size", o, x -> x.withChunkSize(chunkSize));
        }
        if (chunkCarry != null) {
            o = o.withChunkCarry(chunkCarry);
        }
        return o;
    }

    /** Whether any of these flags was given. */
    public boolean anyGiven() {
        return ignoreIndex != null || classWeights != null || zLoss != null || softcap != null || chunkSize != null
                || chunkCarry != null;
    }

    private static LossOptions flagged(String flag, LossOptions o, java.util.function.UnaryOperator<LossOptions> f) {
        try {
            return f.apply(o);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(flag + ": " + e.getMessage());
        }
    }
}
