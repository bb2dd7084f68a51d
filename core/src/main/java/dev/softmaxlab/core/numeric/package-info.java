/**
 * Accounting of numeric events (exp overflow and underflow, log of zero, division by zero, 0·∞, ∞-∞, clipping, ...),
 * of non-finite outputs and of the first operation that went non-finite
 * ({@link dev.softmaxlab.core.numeric.NumericEvents}, counted as the arithmetic runs by
 * {@link dev.softmaxlab.core.numeric.CountedArithmetic}); and the error of a result against a reference
 * ({@link dev.softmaxlab.core.numeric.ErrorMetrics}).
 */
package dev.softmaxlab.core.numeric;
