package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.InvalidInputException;
import java.util.List;

/** The registry of paths, by id. The order of {@link #all()} is the order reports use. */
public final class LossPaths {

    private static final List<LossPath> ALL = List.of(
            new FusedSoftmaxCrossEntropy(),
            new SeparateSoftmaxCrossEntropy(),
            new SeparateNaiveSoftmaxCrossEntropy(),
            new SeparateClippedSoftmaxCrossEntropy());

    private LossPaths() {
    }

    /** fused, separate, separate-naive, separate-clipped. */
    public static List<LossPath> all() {
        return ALL;
    }

    /** @throws InvalidInputException naming the value and the valid ids */
    public static LossPath byId(String id) {
        for (LossPath p : ALL) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        throw new InvalidInputException("unknown path '" + id + "': expected one of "
                + String.join(", ", ALL.stream().map(LossPath::id).toList()));
    }
}
