/**
 * The exact reference: {@link dev.softmaxlab.core.exact.DoubleDouble} arithmetic (about 106 significand bits, with
 * exp, log and log1p) and {@link dev.softmaxlab.core.exact.ExactCrossEntropy}, the softmax cross-entropy loss and
 * gradient of one row of given values evaluated in it and rounded once at the end, and
 * {@link dev.softmaxlab.core.exact.ExactLossHead}, the same with the loss-head options (softcap, class weights, label
 * smoothing, z-loss) around it. The paths' errors are measured
 * against it, in ulps of each path's own precision (NUMERICS.md "Exact reference").
 */
package dev.softmaxlab.core.exact;
