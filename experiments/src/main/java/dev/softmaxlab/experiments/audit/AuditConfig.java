package dev.softmaxlab.experiments.audit;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.core.loss.LossPath;
import dev.softmaxlab.core.precision.PrecisionSpec;

import java.util.List;

/**
 * What an audit evaluates. One home for its defaults: {@link #DEFAULT_IGNORE_INDEX}, {@link #DEFAULT_HEADROOM_ROWS},
 * {@link #DEFAULT_WORST_ROWS}.
 *
 * @param paths        the loss paths, in report order
 * @param precisions   the precisions, in report order
 * @param ignoreIndex  a label equal to this marks a padding row: skipped and counted (PyTorch's -100)
 * @param headroomRows how many rows, evenly spaced, get a headroom search (0: none)
 * @param worstRows    how many worst rows to list per path and precision
 */
public record AuditConfig(List<LossPath> paths, List<PrecisionSpec> precisions, long ignoreIndex, int headroomRows,
                          int worstRows) {

    public static final long DEFAULT_IGNORE_INDEX = -100;
    public static final int DEFAULT_HEADROOM_ROWS = 256;
    public static final int DEFAULT_WORST_ROWS = 3;

    public AuditConfig {
        paths = List.copyOf(paths);
        precisions = List.copyOf(precisions);
        if (paths.isEmpty() || precisions.isEmpty()) {
            throw new InvalidInputException("give at least one path and one precision");
        }
        if (headroomRows < 0) {
            throw new InvalidInputException("--headroom-rows " + headroomRows + ": give 0 (no headroom) or more");
        }
        if (worstRows < 0) {
            throw new InvalidInputException("--worst " + worstRows + ": give 0 or more");
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
