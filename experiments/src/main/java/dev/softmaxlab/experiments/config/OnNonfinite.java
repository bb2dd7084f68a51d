package dev.softmaxlab.experiments.config;

import dev.softmaxlab.experiments.checks.Require;
import java.util.Arrays;
import java.util.List;

/** What a run does when a step's loss or gradient is non-finite. */
public enum OnNonfinite {
    /** Apply the update anyway: NaN weights propagate, as an unguarded training loop does. */
    CONTINUE("continue"),
    /** Withhold that update, as dynamic loss scaling does. */
    SKIP("skip"),
    /** Withhold it and end the run. */
    STOP("stop");

    public static final List<String> IDS = Arrays.stream(values()).map(OnNonfinite::id).toList();

    private final String id;

    OnNonfinite(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** @throws dev.softmaxlab.core.InvalidInputException naming {@code key}, the value and the valid ids */
    public static OnNonfinite fromId(String key, String id) {
        Require.oneOf(key, id, IDS);
        return values()[IDS.indexOf(id)];
    }

    @Override
    public String toString() {
        return id;
    }
}
