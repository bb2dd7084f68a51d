/**
 * Turns the numerics of {@code core} into experiments: datasets, models, optimizers and the training loop; experiment
 * specs and sweeps; reports and their JSON. Jackson lives here and not in core.
 */
package dev.softmaxlab.experiments;
