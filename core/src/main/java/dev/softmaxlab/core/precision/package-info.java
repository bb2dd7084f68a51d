/**
 * Floating-point formats and their emulation: {@link dev.softmaxlab.core.precision.Precision} (fp64, fp32, bf16, fp16),
 * round-to-nearest-even from double directly into each format ({@link dev.softmaxlab.core.precision.Fp16},
 * {@link dev.softmaxlab.core.precision.Bf16}, with their raw bit patterns), and the rounded arithmetic that loss paths
 * run in ({@link dev.softmaxlab.core.precision.Arithmetic}: every elementwise result rounded once to the compute
 * format, sums accumulated in the accumulation format).
 */
package dev.softmaxlab.core.precision;
