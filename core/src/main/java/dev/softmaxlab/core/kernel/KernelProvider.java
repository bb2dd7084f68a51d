package dev.softmaxlab.core.kernel;

import dev.softmaxlab.core.precision.Precision;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;

/**
 * Hands out the fast kernels: a scalar provider that every JVM runs, and a vector one
 * ({@code dev.softmaxlab.core.kernel.panama.PanamaKernelProvider}) that is loaded by reflection, so that nothing else
 * links against {@code jdk.incubator.vector}. Both give the reference's bits; only the speed differs.
 *
 * <p>{@link #getInstance()} picks the vector provider only when the boot layer holds {@code jdk.incubator.vector}
 * (the {@code softmaxlab} launcher adds it; plain {@code java -jar} does not) and the JDK's feature version is one
 * where the Vector API was measured to beat the scalar kernels here ({@link #VECTOR_FAST_FROM}); otherwise it runs
 * the scalar kernels and {@link #choice()} says why, in one line.
 */
public abstract class KernelProvider {

    /**
     * The first JDK feature version whose Vector API was measured faster than the scalar kernels on the fused path
     * (see the README's Benchmarks section). Measured: Temurin 25 compiles the vector kernels to vector code with no
     * allocation (about 4 times faster than the scalar kernels in fp64, 2.5 times in fp32). JDK 17's C2 does not
     * intrinsify one of the bit reinterpretations of the exp kernel in that loop and boxes every vector instead
     * (about 200 bytes allocated per element, slower than the scalar kernels), so JDK 17 to 24 run the scalar
     * kernels. Versions between were not measured.
     */
    static final int VECTOR_FAST_FROM = 25;

    static final String VECTOR_MODULE = "jdk.incubator.vector";
    /** Named, not linked: only reflection reaches the vector package (so no dependency points into it). */
    private static final String PANAMA_CLASS = KernelProvider.class.getPackageName() + ".panama.PanamaKernelProvider";

    protected KernelProvider() {
    }

    /** {@code scalar} or {@code vector}: the name reports and {@code bench} use. */
    public abstract String name();

    /** One line for humans: what runs, e.g. the vector width. */
    public abstract String description();

    /** The fused path's sparse-label row kernel computed and accumulated in fp64. */
    public abstract FusedSparseRowKernel fusedFp64();

    /** The fused path's sparse-label row kernel computed and accumulated in fp32. */
    public abstract FusedSparseRowKernel fusedFp32();

    /** A separate path's sparse-label row kernel computed and accumulated in fp64. */
    public abstract SeparateSparseRowKernel separateFp64(SeparateForm form);

    /** A separate path's sparse-label row kernel computed and accumulated in fp32. */
    public abstract SeparateSparseRowKernel separateFp32(SeparateForm form);

    /** A separate path's dense-target row kernel computed and accumulated in fp64. */
    public abstract SeparateDenseRowKernel separateDenseFp64(SeparateForm form);

    /** A separate path's dense-target row kernel computed and accumulated in fp32. */
    public abstract SeparateDenseRowKernel separateDenseFp32(SeparateForm form);

    /** A separate path's sparse-label row kernel computed in bf16 or fp16 and accumulated in fp32. */
    public abstract SeparateSparseRowKernel separateNarrow(Precision format, SeparateForm form);

    /**
     * The fused path's sparse-label row kernel for an emulated half format (bf16 or fp16) accumulated in fp32: the scalar
     * twin here, the vector one in the vector provider.
     *
     * @param format {@link Precision#BF16} or {@link Precision#FP16}
     */
    public FusedSparseRowKernel fusedHalf(Precision format) {
        return format == Precision.BF16 ? ScalarFusedHalf.BF16 : ScalarFusedHalf.FP16;
    }

    /** The fused path's dense-target row kernel computed and accumulated in fp64 (the scalar twin here). */
    public FusedDenseRowKernel fusedDenseFp64() {
        return ScalarFusedDenseFp64.INSTANCE;
    }

    /** The fused path's dense-target row kernel computed and accumulated in fp32 (the scalar twin here). */
    public FusedDenseRowKernel fusedDenseFp32() {
        return ScalarFusedDenseFp32.INSTANCE;
    }

    /**
     * The fused path's dense-target row kernel for an emulated half format (bf16 or fp16) accumulated in fp32: the
     * scalar twin here, the vector one in the vector provider.
     *
     * @param format {@link Precision#BF16} or {@link Precision#FP16}
     */
    public FusedDenseRowKernel fusedDenseHalf(Precision format) {
        return ScalarFusedDenseHalf.of(format);
    }

    /**
     * A separate path's dense-target row kernel computed in bf16 or fp16 and accumulated in fp32: the scalar twin
     * here, the vector one in the vector provider.
     *
     * @param format {@link Precision#BF16} or {@link Precision#FP16}
     */
    public SeparateDenseRowKernel separateDenseNarrow(Precision format, SeparateForm form) {
        return ScalarSeparateDenseNarrow.of(format, form);
    }

    /**
     * out[i] = StrictMath.exp(x[i]) for i in [0, n), bit for bit.
     *
     * @param x   not modified
     * @param out modified
     */
    public abstract void exp(double[] x, double[] out, int n);

    /**
     * out[i] = StrictMath.exp(x[i]) for x[i] ≤ 0, bit for bit, computed as the softmax kernels compute the shifted
     * exponentials exp(z_j - m) (the vector kernels use a shorter formula there).
     *
     * @param x   values in [-708, 0], not modified
     * @param out modified
     */
    public abstract void expNonPositive(double[] x, double[] out, int n);

    /** The provider this JVM runs (see the class comment). */
    public static KernelProvider getInstance() {
        return Choice.PROVIDER;
    }

    /** Why {@link #getInstance()} is what it is, in one line (for {@code --verbose} and {@code bench}). */
    public static String choice() {
        return Choice.REASON;
    }

    /** The scalar provider, always available. */
    public static KernelProvider scalar() {
        return ScalarKernelProvider.INSTANCE;
    }

    /**
     * The vector provider whenever {@code jdk.incubator.vector} is in the boot layer, whatever the JDK version (the
     * tests compare it with the scalar one on every JDK); empty otherwise.
     */
    public static Optional<KernelProvider> vector() {
        return Optional.ofNullable(Choice.VECTOR);
    }

    private static final class Choice {
        static final KernelProvider VECTOR = loadVector();
        static final KernelProvider PROVIDER;
        static final String REASON;

        static {
            int feature = Runtime.version().feature();
            if (VECTOR == null) {
                PROVIDER = ScalarKernelProvider.INSTANCE;
                REASON = "scalar kernels: the JVM was started without --add-modules " + VECTOR_MODULE
                        + " (the softmaxlab launcher adds it)";
            } else if (feature < VECTOR_FAST_FROM) {
                PROVIDER = ScalarKernelProvider.INSTANCE;
                REASON = "scalar kernels: the Vector API of JDK " + feature + " was measured slower than the scalar"
                        + " kernels; JDK " + VECTOR_FAST_FROM + " or later runs the vector kernels";
            } else {
                PROVIDER = VECTOR;
                REASON = "vector kernels: " + VECTOR.description() + ", JDK " + feature;
            }
        }

        private static KernelProvider loadVector() {
            if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
                return null;
            }
            try {
                Class<?> c = Class.forName(PANAMA_CLASS);
                return (KernelProvider) MethodHandles.publicLookup()
                        .findConstructor(c, MethodType.methodType(void.class)).invoke();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("cannot load " + PANAMA_CLASS, e);
            }
        }
    }
}
