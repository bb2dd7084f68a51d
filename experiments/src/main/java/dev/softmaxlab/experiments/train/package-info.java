/**
 * A training run of a {@link dev.softmaxlab.experiments.config.TrainConfig}: the
 * {@link dev.softmaxlab.experiments.train.Trainer} that trains one copy of the model per loss path and precision from
 * bit-identical starts on identical batches, and the {@link dev.softmaxlab.experiments.train.TrainListener} that
 * hears it as it goes.
 */
package dev.softmaxlab.experiments.train;
