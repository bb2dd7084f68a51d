/** Models that map features to logits with hand-written backward passes: softmax regression and an MLP. */
package dev.softmaxlab.experiments.model;
