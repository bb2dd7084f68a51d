/**
 * {@code bench}: times the loss paths inside the tool, so that a user measures their own shape with one command.
 * Owns the benchmark's settings ({@link dev.softmaxlab.experiments.bench.BenchConfig}), the seeded inputs, the bit
 * check of every fast kernel against its reference on a sample of rows before anything is timed, the timing itself
 * (median and spread of ns per element) and the {@code softmaxlab.bench/1} document. JMH stays for the kernels
 * (core's {@code LossPathBenchmark}); this is for users.
 */
package dev.softmaxlab.experiments.bench;
