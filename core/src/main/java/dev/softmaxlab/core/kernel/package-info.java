/**
 * Fast kernels: uninstrumented twins of the loss paths' reference kernels that give the same bits (core/NUMERICS.md,
 * "Fast kernels"). A {@link dev.softmaxlab.core.kernel.KernelProvider} hands them out: the scalar provider always, the
 * Panama provider ({@code dev.softmaxlab.core.kernel.panama}, the only package that imports
 * {@code jdk.incubator.vector}) when the JVM has that module and is a version where it was measured fast.
 * A row kernel never counts events: it answers NaN for a row in which the reference would count something, and the
 * path re-runs that row through its instrumented reference. The row kernels of {@code fused-lowp-grad},
 * {@code double-softmax} and {@code fused-chunked} ({@link dev.softmaxlab.core.kernel.LowpGradRowKernel},
 * {@link dev.softmaxlab.core.kernel.DoubleSoftmaxRowKernel}, {@link dev.softmaxlab.core.kernel.FusedChunkedRowKernel})
 * are built on a provider's {@code fused} kernels (sparse, dense and half), behind one interface for a sparse label or
 * a dense target ({@link dev.softmaxlab.core.kernel.HeadRowKernel}). {@code fused}'s own kernels also fold the batch end's division of
 * the gradient into their last pass ({@link dev.softmaxlab.core.kernel.FusedSparseRowKernel#finishedSparseRow},
 * {@link dev.softmaxlab.core.kernel.FusedDenseRowKernel}, {@link dev.softmaxlab.core.kernel.ScalarFusedHalf} for
 * bf16 and fp16). The separate paths' kernels take a sparse label
 * ({@link dev.softmaxlab.core.kernel.SeparateSparseRowKernel}) or a dense target
 * ({@link dev.softmaxlab.core.kernel.SeparateDenseRowKernel}).
 */
package dev.softmaxlab.core.kernel;
