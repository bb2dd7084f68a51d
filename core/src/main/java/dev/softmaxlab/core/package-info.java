/**
 * softmaxlab's numerics and nothing else: the loss paths ({@link dev.softmaxlab.core.loss}), precision emulation
 * ({@link dev.softmaxlab.core.precision}) and the accounting of numeric events ({@link dev.softmaxlab.core.numeric}).
 * This module has no third-party runtime dependency.
 */
package dev.softmaxlab.core;
