package dev.softmaxlab.experiments.train;

import dev.softmaxlab.experiments.data.Dataset;

/**
 * The training and test splits of a dataset, ready to train on (split and, if configured, standardized with the
 * training split's statistics).
 *
 * @param train rows the optimizer sees
 * @param test  held-out rows for evaluation; same feature count and classes as {@code train}
 */
public record PreparedData(Dataset train, Dataset test) {
}
