package dev.softmaxlab.experiments.config;

import dev.softmaxlab.experiments.checks.Require;
import java.util.Arrays;
import java.util.List;

/** How a training batch states its labels to the loss head: class indices, or one-hot rows. */
public enum TargetKind {
    /** One class index per row. */
    SPARSE("sparse"),
    /** One-hot rows [B, C]: shows separate's 0·log 0 terms. */
    DENSE("dense");

    public static final List<String> IDS = Arrays.stream(values()).map(TargetKind::id).toList();

    private final String id;

    TargetKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** @throws dev.softmaxlab.core.InvalidInputException naming {@code key}, the value and the valid ids */
    public static TargetKind fromId(String key, String id) {
        Require.oneOf(key, id, IDS);
        return values()[IDS.indexOf(id)];
    }

    @Override
    public String toString() {
        return id;
    }
}
