/**
 * A train run's configuration, typed: {@link dev.softmaxlab.experiments.config.TrainConfig} (made of the data, model
 * and optimizer packages' settings records and core's loss options), the one converter between it and text
 * ({@link dev.softmaxlab.experiments.config.ConfigKeys}: flags, config files, spec points and reports), and how
 * layers of overrides combine ({@link dev.softmaxlab.experiments.config.ConfigLayers}: defaults, then a config file,
 * then flags; a spec's base, then a grid point).
 */
package dev.softmaxlab.experiments.config;
