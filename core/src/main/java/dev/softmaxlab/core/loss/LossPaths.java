package dev.softmaxlab.core.loss;

import java.util.List;

/** The registry of paths, by id. The order of {@link #all()} is the order reports use. */
public final class LossPaths {

    private LossPaths() {
    }

    /** fused, separate, separate-naive, separate-clipped. */
    public static List<LossPath> all() {
        throw new UnsupportedOperationException("TODO");
    }

    /** @throws IllegalArgumentException naming the value and the valid ids */
    public static LossPath byId(String id) {
        throw new UnsupportedOperationException("TODO");
    }
}
