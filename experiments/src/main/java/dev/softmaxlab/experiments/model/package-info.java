/**
 * Models that map features to logits with hand-written backward passes: softmax regression and an MLP, built by
 * {@link dev.softmaxlab.experiments.model.Models} as a {@link dev.softmaxlab.experiments.model.FeedForwardModel} of
 * layers (dense, relu, tanh), each with its forward and backward side by side. The model's own arithmetic is fp64 or
 * bit-exact fp32 ({@link dev.softmaxlab.experiments.model.ModelPrecision}).
 */
package dev.softmaxlab.experiments.model;
