/**
 * The vector kernels: the only package that imports {@code jdk.incubator.vector}. It is compiled apart, with the
 * incubator module added, and loaded only by reflection from {@link dev.softmaxlab.core.kernel.KernelProvider}, so a
 * JVM without the module never links against it. Every kernel here gives the scalar reference's bits.
 */
package dev.softmaxlab.core.kernel.panama;
