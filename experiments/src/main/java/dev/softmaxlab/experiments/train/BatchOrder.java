package dev.softmaxlab.experiments.train;

import dev.softmaxlab.experiments.data.SplitMix64;

/**
 * The order in which training rows are drawn: a seeded shuffle per epoch, batches taken in turn, a batch that runs
 * past the end of an epoch continuing into the next shuffle. Every run builds its own from the same seed, so every run
 * sees the same batches in the same order without sharing state across threads.
 */
final class BatchOrder {

    private final int[] permutation;
    private final SplitMix64 random;
    private int position;

    BatchOrder(int rows, long seed) {
        this.permutation = new int[rows];
        for (int i = 0; i < rows; i++) {
            permutation[i] = i;
        }
        this.random = new SplitMix64(seed);
        shuffle();
    }

    /** Fills {@code indices[0, batch)} with the next batch's row indices. Allocates nothing. */
    void next(int[] indices, int batch) {
        for (int i = 0; i < batch; i++) {
            if (position == permutation.length) {
                shuffle();
            }
            indices[i] = permutation[position++];
        }
    }

    /** Fisher-Yates. */
    private void shuffle() {
        for (int i = permutation.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = permutation[i];
            permutation[i] = permutation[j];
            permutation[j] = t;
        }
        position = 0;
    }
}
