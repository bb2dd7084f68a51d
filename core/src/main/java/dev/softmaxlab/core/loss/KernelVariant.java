package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.core.kernel.KernelProvider;

/**
 * The named kernels a path can run (EJML style): its instrumented reference, and fast variants that give the
 * reference's bits and events. Every path has {@link #REFERENCE}; {@link LossPath#variants()} lists the rest.
 * {@code KernelVariantTest} holds every fast variant of every path to its reference.
 */
public enum KernelVariant {
    /** Every row through the instrumented reference kernel: every operation rounded, checked and counted. */
    REFERENCE("reference"),
    /** {@link KernelProvider#scalar()}'s kernels; a row in which something countable happens is re-run as reference. */
    SCALAR("scalar"),
    /** {@link KernelProvider#vector()}'s kernels (jdk.incubator.vector), with the same re-run; only when present. */
    VECTOR("vector");

    private final String id;

    KernelVariant(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The fast variant this JVM runs by default: the one of {@link KernelProvider#getInstance()}. */
    public static KernelVariant fastest() {
        return KernelProvider.getInstance().name().equals(VECTOR.id) ? VECTOR : SCALAR;
    }

    /** The provider behind a fast variant. */
    KernelProvider provider() {
        return switch (this) {
            case SCALAR -> KernelProvider.scalar();
            case VECTOR -> KernelProvider.vector().orElseThrow(() -> new InvalidInputException(
                    "kernel variant 'vector' is not available: start the JVM with --add-modules jdk.incubator.vector"
                            + " (the softmaxlab launcher does), or use 'scalar'"));
            case REFERENCE -> throw new IllegalStateException("the reference has no provider");
        };
    }

    @Override
    public String toString() {
        return id;
    }
}
