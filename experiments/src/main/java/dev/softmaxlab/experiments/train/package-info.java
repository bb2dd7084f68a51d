/**
 * A training run: its resolved {@link dev.softmaxlab.experiments.train.TrainConfig}, the loop that trains one copy of
 * the model per loss path from bit-identical starts on identical batches, and what it records per step and per run.
 */
package dev.softmaxlab.experiments.train;
