package dev.softmaxlab.app.cli.options;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.core.loss.LossOptions;
import dev.softmaxlab.core.loss.LossPath;
import dev.softmaxlab.core.loss.LossPaths;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import dev.softmaxlab.experiments.probe.ProbeConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The options that choose how the loss head is computed: {@code --paths}, {@code --precision}, {@code --accumulate},
 * {@code --label-smoothing} and {@code --eps}. The defaults of paths and loss options come from
 * {@link LossPaths#defaults()} and {@link LossOptions#DEFAULTS} (an option left out stays null and takes them), the default
 * accumulation from {@link PrecisionSpec#defaultAccumulation}, the default precisions from {@link ProbeConfig}. Use with {@code @Mixin LossHeadOptions lossHead;} and then
 * {@link #paths()}, {@link #precisionSpecs()} and {@link #lossOptions()}. The reduction is a separate mixin,
 * {@link ReductionOption}, because a command that reports one row's loss (probe) has no use for it.
 */
public final class LossHeadOptions {

    /** The precisions a command evaluates when {@code --precision} is not given: the probe's default. */
    public static final List<Precision> DEFAULT_PRECISIONS = ProbeConfig.DEFAULT_PRECISIONS;

    @Option(names = "--paths", order = 10, split = ",", paramLabel = "PATH", converter = Converters.PathConverter.class,
            completionCandidates = Choices.PathIds.class,
            description = "Loss paths, comma-separated, from: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    List<LossPath> paths;

    @Option(names = "--precision", order = 11, split = ",", paramLabel = "PRECISION",
            converter = Converters.PrecisionConverter.class, completionCandidates = Choices.PrecisionIds.class,
            description = "Precisions, comma-separated, from: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    List<Precision> precisions;

    @Option(names = "--accumulate", order = 12, paramLabel = "PRECISION", converter = Converters.PrecisionConverter.class,
            completionCandidates = Choices.PrecisionIds.class,
            description = "Precision that bf16 and fp16 sums accumulate in: the format itself (bf16 or fp16), fp32 "
                    + "or fp64 (default: fp32, as mixed-precision kernels do). fp64 and fp32 always accumulate in "
                    + "themselves.")
    Precision accumulate;

    @Option(names = "--label-smoothing", order = 13, paramLabel = "ALPHA", converter = Converters.FiniteDoubleConverter.class,
            description = "Label smoothing α in [0, 1): the target t becomes (1-α)t + α/C (default: ${DEFAULT-VALUE}).")
    Double labelSmoothing;

    @Option(names = "--eps", order = 14, paramLabel = "EPS", converter = Converters.FiniteDoubleConverter.class,
            description = "Clip ε of separate-clipped, in (0, 0.5): p is clipped to [ε, 1-ε] (default: ${DEFAULT-VALUE}).")
    Double eps;

    /** The chosen paths, duplicates removed, in the order given; the default set of {@link LossPaths#defaults()} otherwise. */
    public List<LossPath> paths() {
        if (paths == null || paths.isEmpty()) {
            return LossPaths.defaults();
        }
        return List.copyOf(new LinkedHashSet<>(paths));
    }

    /** The chosen precisions, duplicates removed, in the order given; {@link #DEFAULT_PRECISIONS} by default. */
    public List<Precision> precisions() {
        if (precisions == null || precisions.isEmpty()) {
            return DEFAULT_PRECISIONS;
        }
        return List.copyOf(new LinkedHashSet<>(precisions));
    }

    /** The accumulation precision for the half formats: {@code --accumulate}, or fp32. */
    public Precision accumulate() {
        return accumulate != null ? accumulate : PrecisionSpec.defaultAccumulation(Precision.BF16);
    }

    /** The spec for one compute precision: bf16/fp16 accumulate in {@link #accumulate()}, others in themselves. */
    public PrecisionSpec precisionSpec(Precision compute) {
        return switch (compute) {
            case FP64, FP32 -> PrecisionSpec.of(compute);
            case BF16, FP16 -> new PrecisionSpec(compute, accumulate());
        };
    }

    /** One spec per chosen precision, in order. */
    public List<PrecisionSpec> precisionSpecs() {
        List<PrecisionSpec> specs = new ArrayList<>();
        for (Precision p : precisions()) {
            specs.add(precisionSpec(p));
        }
        return List.copyOf(specs);
    }

    /**
     * Label smoothing and ε over {@link LossOptions#DEFAULTS} (reduction left at its default). The ranges are
     * {@link LossOptions}'s own checks; its message is prefixed with the flag that set the value.
     *
     * @throws InvalidInputException naming the option when a value is out of range
     */
    public LossOptions lossOptions() {
        LossOptions o = LossOptions.DEFAULTS;
        if (labelSmoothing != null) {
            o = withFlag("--label-smoothing", () -> LossOptions.DEFAULTS.withLabelSmoothing(labelSmoothing));
        }
        if (eps != null) {
            LossOptions base = o;
            o = withFlag("--eps", () -> base.withClipEpsilon(eps));
        }
        return o;
    }

    private static LossOptions withFlag(String flag, java.util.function.Supplier<LossOptions> make) {
        try {
            return make.get();
        } catch (InvalidInputException e) {
            throw new InvalidInputException(flag + ": " + e.getMessage(), e);
        }
    }

    /**
     * The defaults of these options as core defines them, for commands whose defaults are core's (probe). They are
     * shown in {@code --help} through {@code ${DEFAULT-VALUE}}, so the help cannot drift from the code. A command
     * with defaults of its own (train) supplies its own provider.
     */
    public static final class CoreDefaults implements IDefaultValueProvider {
        @Override
        public String defaultValue(ArgSpec arg) {
            if (!(arg instanceof OptionSpec option)) {
                return null;
            }
            return switch (option.longestName()) {
                case "--paths" -> String.join(",", LossPaths.defaults().stream().map(LossPath::id).toList());
                case "--precision" -> String.join(",", DEFAULT_PRECISIONS.stream().map(Precision::id).toList());
                case "--label-smoothing" -> Double.toString(LossOptions.DEFAULTS.labelSmoothing());
                case "--eps" -> Double.toString(LossOptions.DEFAULTS.clipEpsilon());
                default -> null;
            };
        }
    }
}
