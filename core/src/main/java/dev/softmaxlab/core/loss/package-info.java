/**
 * The loss paths of core/NUMERICS.md, one final class each, forward and backward side by side: {@code fused}
 * ({@link dev.softmaxlab.core.loss.FusedSoftmaxCrossEntropy}), {@code separate}, {@code separate-naive},
 * {@code separate-clipped} (which chain a softmax module and a cross-entropy-of-probabilities module, each with its own
 * backward, as an autodiff engine does), {@code fused-chunked}, {@code double-softmax} and {@code fused-lowp-grad}.
 * All of them read a {@link dev.softmaxlab.core.loss.LossInput} ([B, C] logits plus targets) and write a
 * reusable {@link dev.softmaxlab.core.loss.LossResult}; {@link dev.softmaxlab.core.loss.LossPaths} registers them,
 * with the options each accepts.
 *
 * <p>The loss-head options ({@link dev.softmaxlab.core.loss.LossOptions}: ignore index, class weights, label
 * smoothing, z-loss, softcap, chunking) are applied around a path's row kernel in one place, LossHeadRows, with the
 * softcap and the z-loss as modules of their own (SoftcapModule, ZLossModule); a path plus its options is a
 * {@link dev.softmaxlab.core.loss.LossHead}.
 * Each path names its kernels ({@link dev.softmaxlab.core.loss.KernelVariant}): its instrumented reference and the
 * fast variants of {@code dev.softmaxlab.core.kernel}, which give the same bits and hand any row with an event back to
 * the reference.
 */
package dev.softmaxlab.core.loss;
