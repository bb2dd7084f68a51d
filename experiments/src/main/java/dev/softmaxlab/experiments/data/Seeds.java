package dev.softmaxlab.experiments.data;

import java.nio.charset.StandardCharsets;
import java.util.random.RandomGenerator;

/**
 * Splits one root seed (the config's {@code seed}) into independent named streams, so that the data, the split, the
 * initial weights and the batch order each draw from their own generator: changing how many numbers one consumer
 * draws never shifts another's.
 *
 * <p>Scheme: {@code derive(root, name) = mix64(root ^ mix64(fnv1a64(UTF-8 bytes of name)))}, where {@code mix64} is
 * the SplitMix64 finalizer and {@code fnv1a64} the 64-bit FNV-1a hash; the stream is a {@link SplitMix64} seeded with
 * that value. The stream names in use are the constants below.
 */
public final class Seeds {

    /** Synthetic data generation (blobs, spiral). */
    public static final String DATA = "data";
    /** The stratified train/test split. */
    public static final String SPLIT = "split";
    /** Initial model weights. */
    public static final String INIT = "init";
    /** Batch order during training. */
    public static final String BATCHES = "batches";
    /** Which training rows are padding ({@code padFraction}). */
    public static final String PADDING = "padding";

    private Seeds() {
    }

    /** The seed of stream {@code name} under {@code root}. */
    public static long derive(long root, String name) {
        return SplitMix64.mix64(root ^ SplitMix64.mix64(fnv1a64(name)));
    }

    /** A fresh generator for stream {@code name} under {@code root}. */
    public static RandomGenerator stream(long root, String name) {
        return new SplitMix64(derive(root, name));
    }

    static long fnv1a64(String s) {
        long h = 0xCBF29CE484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x100000001B3L;
        }
        return h;
    }
}
