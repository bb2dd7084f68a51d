/**
 * The loss paths of NUMERICS.md, one final class each with its forward and backward side by side:
 * {@code fused}, {@code separate}, {@code separate-naive} and {@code separate-clipped}.
 * All of them read a {@link dev.softmaxlab.core.loss.LossInput} ([B, C] logits plus targets) and write a
 * reusable {@link dev.softmaxlab.core.loss.LossResult}.
 */
package dev.softmaxlab.core.loss;
