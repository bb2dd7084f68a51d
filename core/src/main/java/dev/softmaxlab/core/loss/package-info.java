/**
 * The loss paths of core/NUMERICS.md, one final class each: {@code fused} ({@link
 * dev.softmaxlab.core.loss.FusedSoftmaxCrossEntropy}, forward and backward side by side), and {@code separate},
 * {@code separate-naive}, {@code separate-clipped}, which chain a softmax module and a cross-entropy-of-probabilities
 * module, each with its own backward, as an autodiff engine does.
 * All of them read a {@link dev.softmaxlab.core.loss.LossInput} ([B, C] logits plus targets) and write a
 * reusable {@link dev.softmaxlab.core.loss.LossResult}; {@link dev.softmaxlab.core.loss.LossPaths} looks them up by id.
 * Each path names its kernels ({@link dev.softmaxlab.core.loss.KernelVariant}): its instrumented reference and the
 * fast variants of {@code dev.softmaxlab.core.kernel}, which give the same bits and hand any row with an event back to
 * the reference.
 */
package dev.softmaxlab.core.loss;
