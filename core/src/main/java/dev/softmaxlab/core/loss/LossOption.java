package dev.softmaxlab.core.loss;

/**
 * The options of a loss head that only some paths can use, by the key that configs, specs and reports give them.
 * {@link LossPaths} records which path accepts which; an option set away from its default for a path that cannot
 * use it is refused ({@link LossHead}).
 */
public enum LossOption {
    LABEL_SMOOTHING("labelSmoothing"),
    CLIP_EPSILON("clipEpsilon"),
    IGNORE_INDEX("ignoreIndex"),
    CLASS_WEIGHTS("classWeights"),
    Z_LOSS("zLoss"),
    SOFTCAP("softcap"),
    CHUNK_SIZE("chunkSize"),
    CHUNK_CARRY("chunkCarry");

    private final String key;

    LossOption(String key) {
        this.key = key;
    }

    /** The config, spec and report key, e.g. {@code zLoss}. */
    public String key() {
        return key;
    }

    @Override
    public String toString() {
        return key;
    }
}
