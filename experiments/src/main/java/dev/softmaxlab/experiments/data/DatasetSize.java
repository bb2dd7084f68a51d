package dev.softmaxlab.experiments.data;

import dev.softmaxlab.core.InvalidInputException;
import java.util.Locale;

/**
 * The one check of sizes that multiply, made before anything is allocated: the feature matrix (rows × features)
 * and what a dataset makes the trainer hold (rows × classes logits and probabilities at an evaluation). A product
 * past {@link #MAX_VALUES} is refused with exit 2 instead of an out-of-memory error 30 seconds later.
 */
public final class DatasetSize {

    /** Largest rows × columns (or rows × classes) product: 50 million doubles, 400 MB. */
    public static final long MAX_VALUES = 50_000_000L;

    private DatasetSize() {
    }

    /**
     * @param values the product, computed in long (an int product would wrap)
     * @param what   what multiplies, e.g. "100000 rows × 30000 classes"
     * @param fix    what to change
     */
    public static void check(long values, String what, String fix) {
        if (values < 0 || values > MAX_VALUES) {
            throw new InvalidInputException(what + String.format(Locale.ROOT, " is %,d values (%,d MB of doubles), "
                    + "more than the %,d this tool holds at once: ", values, values / 125_000, MAX_VALUES) + fix);
        }
    }
}
