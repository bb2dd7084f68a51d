/**
 * Floating-point formats and their emulation: {@link dev.softmaxlab.core.precision.Precision} (fp64, fp32, bf16, fp16),
 * round-to-nearest-even from double into each format, and the rounded arithmetic that loss paths run in.
 */
package dev.softmaxlab.core.precision;
