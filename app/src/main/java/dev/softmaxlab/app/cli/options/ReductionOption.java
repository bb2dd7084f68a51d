package dev.softmaxlab.app.cli.options;

import dev.softmaxlab.core.loss.LossOptions;
import dev.softmaxlab.core.loss.Reduction;
import picocli.CommandLine.Option;

/**
 * {@code --reduction mean|sum|none}, for commands that reduce a batch (train). Use with {@code @Mixin} beside
 * {@link LossHeadOptions}: {@code reduction.applyTo(lossHead.lossOptions())}.
 */
public final class ReductionOption {

    @Option(names = "--reduction", order = 15, paramLabel = "REDUCTION", converter = Converters.ReductionConverter.class,
            completionCandidates = Choices.ReductionIds.class,
            description = "How a batch's row losses and gradient rows combine: ${COMPLETION-CANDIDATES} "
                    + "(default: mean).")
    Reduction reduction;

    /** {@code --reduction}, or the default of {@link LossOptions#DEFAULTS}. */
    public Reduction reduction() {
        return reduction != null ? reduction : LossOptions.DEFAULTS.reduction();
    }

    /** The options with this reduction. */
    public LossOptions applyTo(LossOptions options) {
        return options.withReduction(reduction());
    }
}
