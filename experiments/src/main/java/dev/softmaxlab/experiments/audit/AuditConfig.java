package dev.softmaxlab.experiments.audit;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.core.loss.LossOptions;
import dev.softmaxlab.core.loss.LossPath;
import dev.softmaxlab.core.loss.LossPaths;
import dev.softmaxlab.core.loss.Reduction;
import dev.softmaxlab.core.precision.PrecisionSpec;

import java.util.List;

/**
 * What an audit evaluates. One home for its defaults: {@link #DEFAULT_HEADROOM_ROWS}, {@link #DEFAULT_WORST_ROWS};
 * the loss-head options' defaults are core's ({@link LossOptions#DEFAULTS}).
 *
 * @param paths        the loss paths, in report order
 * @param precisions   the precisions, in report order
 * @param lossOptions  the loss-head options (ignore index, class weights, z-loss, softcap, chunk size and carry);
 *                     each path gets those it uses ({@link #options(int)}); the reduction is not used: every row is
 *                     audited on its own, as its un-divided loss
 * @param headroomRows how many rows, evenly spaced, get a headroom search (0: none)
 * @param worstRows    how many worst rows to list per path and precision
 */
public record AuditConfig(List<LossPath> paths, List<PrecisionSpec> precisions, LossOptions lossOptions,
                          int headroomRows, int worstRows) {

    public static final long DEFAULT_IGNORE_INDEX = LossOptions.DEFAULTS.ignoreIndex();
    public static final int DEFAULT_HEADROOM_ROWS = 256;
    public static final int DEFAULT_WORST_ROWS = 3;

    public AuditConfig {
        paths = List.copyOf(paths);
        precisions = List.copyOf(precisions);
        if (paths.isEmpty() || precisions.isEmpty()) {
            throw new InvalidInputException("give at least one path and one precision");
        }
        java.util.Objects.requireNonNull(lossOptions, "lossOptions");
        LossPaths.headsFor(paths, lossOptions); // refuses an option none of the paths uses
        if (headroomRows < 0) {
            throw new InvalidInputException("--headroom-rows " + headroomRows + ": give 0 (no headroom) or more");
        }
        if (worstRows < 0) {
            throw new InvalidInputException("--worst " + worstRows + ": give 0 or more");
        }
    }

    /** An audit with every loss-head option at its default but the ignore index. */
    public AuditConfig(List<LossPath> paths, List<PrecisionSpec> precisions, long ignoreIndex, int headroomRows,
                       int worstRows) {
        this(paths, precisions, LossOptions.DEFAULTS.withIgnoreIndex(Math.toIntExact(ignoreIndex)), headroomRows,
                worstRows);
    }

    /** A label equal to this marks a padding row: skipped and counted (PyTorch's -100 by default). */
    public long ignoreIndex() {
        return lossOptions.ignoreIndex();
    }

    /**
     * The options combo k's path evaluates a row with: those of {@link #lossOptions} its path uses, summed (a row's
     * own loss and gradient, which no class weight divides).
     */
    public LossOptions options(int combo) {
        return LossPaths.optionsFor(path(combo), lossOptions).withReduction(Reduction.SUM);
    }

    /**
     * The checks that need the input: the options fit its class count and every precision (class weights, an
     * ignore index that is a class index, a chunk carry narrower than a format).
     *
     * @throws InvalidInputException naming the option, its value and the fix
     */
    public void requireFits(int classes) {
        for (int k = 0; k < combos(); k++) {
            options(k).requireFits(classes, precision(k));
        }
    }

    /** Path × precision combinations, path-major, in report order. */
    public int combos() {
        return paths.size() * precisions.size();
    }

    public LossPath path(int combo) {
        return paths.get(combo / precisions.size());
    }

    public PrecisionSpec precision(int combo) {
        return precisions.get(combo % precisions.size());
    }
}
