/**
 * The loss paths of core/NUMERICS.md, one final class each: {@code fused} ({@link
 * dev.softmaxlab.core.loss.FusedSoftmaxCrossEntropy}, forward and backward side by side), and {@code separate},
 * {@code separate-naive}, {@code separate-clipped}, which chain a softmax module and a cross-entropy-of-probabilities
 * module, each with its own backward, as an autodiff engine does.
 * All of them read a {@link dev.softmaxlab.core.loss.LossInput} ([B, C] logits plus targets) and write a
 * reusable {@link dev.softmaxlab.core.loss.LossResult}; {@link dev.softmaxlab.core.loss.LossPaths} looks them up by id.
 * The fused path's clean sparse rows in fp64 and fp32 run through uninstrumented twins (FusedFp64Kernel,
 * FusedFp32Kernel) that give the same bits and re-run any row with an event through the instrumented reference.
 */
package dev.softmaxlab.core.loss;
