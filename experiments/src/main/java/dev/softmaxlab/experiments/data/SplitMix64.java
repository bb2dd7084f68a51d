package dev.softmaxlab.experiments.data;

import java.util.random.RandomGenerator;

/**
 * A small, fully specified random generator, so that a seed gives the same numbers on every JVM and platform: the
 * SplitMix64 sequence (Steele, Lea and Flood, 2014) for the bits, and our own derivations of doubles, bounded ints and
 * Gaussians from those bits, independent of the JDK's default algorithms (which may change between releases).
 *
 * <ul>
 *   <li>{@link #nextLong()}: state += 0x9E3779B97F4A7C15, then the SplitMix64 finalizer of the state.</li>
 *   <li>{@link #nextDouble()}: the top 53 bits of {@code nextLong()} times 2^-53, uniform in [0, 1).</li>
 *   <li>{@link #nextInt(int)}: unbiased by rejection on 31-bit draws.</li>
 *   <li>{@link #nextGaussian()}: Marsaglia's polar method with {@link StrictMath}; the second value is discarded so
 *       the generator's whole state is one long.</li>
 * </ul>
 *
 * Not thread-safe: one instance per stream (see {@link Seeds}).
 */
public final class SplitMix64 implements RandomGenerator {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    /** The SplitMix64 finalizer: a bijective 64-bit mix with good avalanche. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix64(state);
    }

    @Override
    public int nextInt() {
        return (int) (nextLong() >>> 32);
    }

    @Override
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    @Override
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        // Reject the top partial block of 31-bit values so every residue is equally likely.
        int limit = Integer.MAX_VALUE - (int) ((Integer.MAX_VALUE + 1L) % bound);
        while (true) {
            int r = (int) (nextLong() >>> 33);
            if (r <= limit) {
                return r % bound;
            }
        }
    }

    @Override
    public double nextGaussian() {
        while (true) {
            double v1 = 2 * nextDouble() - 1;
            double v2 = 2 * nextDouble() - 1;
            double s = v1 * v1 + v2 * v2;
            if (s < 1 && s != 0) {
                return v1 * StrictMath.sqrt(-2 * StrictMath.log(s) / s);
            }
        }
    }
}
