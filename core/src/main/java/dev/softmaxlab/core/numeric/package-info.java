/**
 * Accounting of numeric events (exp overflow and underflow, log of zero, division by zero, 0·∞, ∞-∞, clipping, ...),
 * of non-finite outputs and of the first operation that went non-finite; and the error of a result against a reference.
 */
package dev.softmaxlab.core.numeric;
