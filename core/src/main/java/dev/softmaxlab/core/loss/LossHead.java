package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.List;
import java.util.Objects;

/**
 * A loss head: one path and the options it runs with, as one value. It refuses an option that is set but that its
 * path cannot use (the registry, {@link LossPaths}, says which path uses which), so a run can never silently ignore
 * one.
 *
 * @param path    the path
 * @param options the options, each either at its default or used by the path
 * @throws dev.softmaxlab.core.InvalidInputException naming the option, its value and the fix
 */
public record LossHead(LossPath path, LossOptions options) {

    public LossHead {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        for (LossOption o : LossOption.values()) {
            if (options.isSet(o) && !LossPaths.accepts(path, o)) {
                throw LossPaths.notApplicable(o, options, List.of(path));
            }
        }
    }

    /** The path with every option at its default. */
    public static LossHead of(LossPath path) {
        return new LossHead(path, LossOptions.DEFAULTS);
    }

    /** Forward and backward of the path with these options; see {@link LossPath#evaluate}. */
    public void evaluate(LossInput input, PrecisionSpec precision, LossResult out) {
        path.evaluate(input, options, precision, out);
    }
}
