/**
 * Floating-point formats and their emulation: {@link dev.softmaxlab.core.precision.Precision} (fp64, fp32, bf16, fp16),
 * round-to-nearest-even from double directly into each format ({@link dev.softmaxlab.core.precision.Fp16},
 * {@link dev.softmaxlab.core.precision.Bf16}, with their raw bit patterns), and the rounded arithmetic that loss paths
 * run in ({@link dev.softmaxlab.core.precision.Arithmetic}: every elementwise result rounded once to the compute
 * format, sums accumulated in the accumulation format), with StrictMath's exp and log rounded to the narrow formats
 * at the speed of Math's intrinsics ({@link dev.softmaxlab.core.precision.NarrowStrictMath}, the same bits).
 */
package dev.softmaxlab.core.precision;
