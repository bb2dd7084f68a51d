/**
 * Optimizers that update a flat parameter vector in place: {@link dev.softmaxlab.experiments.optim.Sgd},
 * {@link dev.softmaxlab.experiments.optim.Momentum} (heavy ball) and {@link dev.softmaxlab.experiments.optim.Adam}
 * (AdamW-style decoupled weight decay), built by {@link dev.softmaxlab.experiments.optim.Optimizers} in the model's
 * arithmetic.
 */
package dev.softmaxlab.experiments.optim;
