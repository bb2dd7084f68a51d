package dev.softmaxlab.core.loss;

/**
 * Whether a loss head's options leave every row's arithmetic as the plain path computes it: every option at its
 * default except the reduction (which acts after the rows) and the clip ε (a parameter the clipped kernels take).
 * Only then do the separate paths' fast kernels apply. An option added later is covered without a change here, as
 * long as {@link LossOptions#DEFAULTS} holds its default. (The fused path applies the same rule.)
 */
final class PlainHead {

    private PlainHead() {
    }

    /** The answer for the options object seen last is kept, so a training loop's steps allocate nothing here. */
    private record Verdict(LossOptions options, boolean plain) {
    }

    private static volatile Verdict last;

    static boolean of(LossOptions options) {
        Verdict seen = last;
        if (seen != null && seen.options == options) {
            return seen.plain;
        }
        boolean plain = options.withReduction(LossOptions.DEFAULTS.reduction())
                .withClipEpsilon(LossOptions.DEFAULTS.clipEpsilon()).equals(LossOptions.DEFAULTS);
        last = new Verdict(options, plain);
        return plain;
    }
}
