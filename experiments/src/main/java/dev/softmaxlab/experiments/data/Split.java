package dev.softmaxlab.experiments.data;

/**
 * A train/test split of one dataset; both parts have the same features and class names.
 *
 * @param train the rows a model learns from
 * @param test  the held-out rows
 */
public record Split(Dataset train, Dataset test) {
}
