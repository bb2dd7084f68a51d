/**
 * Datasets held in memory and how a run gets them: {@link dev.softmaxlab.experiments.data.Datasets} (blobs, spiral,
 * the bundled iris and digits, any user CSV via {@link dev.softmaxlab.experiments.data.CsvDatasets}), the seeded
 * stratified split ({@link dev.softmaxlab.experiments.data.Splits}, {@link dev.softmaxlab.experiments.data.Split}),
 * standardization fitted on the train part ({@link dev.softmaxlab.experiments.data.Standardizer}), and the named
 * random streams derived from one root seed ({@link dev.softmaxlab.experiments.data.Seeds},
 * {@link dev.softmaxlab.experiments.data.SplitMix64}) that data, split, initialization and batch order draw from.
 */
package dev.softmaxlab.experiments.data;
