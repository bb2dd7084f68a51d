package dev.softmaxlab.core.kernel.panama;

import dev.softmaxlab.core.kernel.FusedDenseRowKernel;
import dev.softmaxlab.core.kernel.FusedSparseRowKernel;
import dev.softmaxlab.core.kernel.KernelProvider;
import dev.softmaxlab.core.kernel.SeparateDenseRowKernel;
import dev.softmaxlab.core.kernel.SeparateForm;
import dev.softmaxlab.core.kernel.SeparateSparseRowKernel;
import dev.softmaxlab.core.precision.Precision;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;

/**
 * The vector kernels ({@code jdk.incubator.vector}, 256-bit: 4 doubles). Loaded by reflection from
 * {@link KernelProvider}; public with a public no-argument constructor for that reason only.
 */
public final class PanamaKernelProvider extends KernelProvider {

    public PanamaKernelProvider() {
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public String description() {
        return "jdk.incubator.vector, " + VectorExp.S.vectorBitSize() + "-bit (" + VectorExp.S.length()
                + " doubles), preferred " + DoubleVector.SPECIES_PREFERRED.vectorBitSize() + "-bit";
    }

    @Override
    public FusedSparseRowKernel fusedFp64() {
        return PanamaFusedFp64.INSTANCE;
    }

    @Override
    public FusedSparseRowKernel fusedFp32() {
        return PanamaFusedFp32.INSTANCE;
    }

    @Override
    public FusedSparseRowKernel fusedHalf(Precision format) {
        return PanamaFusedHalf.of(format);
    }

    @Override
    public FusedDenseRowKernel fusedDenseHalf(Precision format) {
        return PanamaFusedDenseHalf.of(format);
    }

    @Override
    public FusedDenseRowKernel fusedDenseFp64() {
        return PanamaFusedDenseFp64.INSTANCE;
    }

    @Override
    public FusedDenseRowKernel fusedDenseFp32() {
        return PanamaFusedDenseFp32.INSTANCE;
    }

    @Override
    public SeparateSparseRowKernel separateFp64(SeparateForm form) {
        return PanamaSeparateFp64.of(form);
    }

    @Override
    public SeparateSparseRowKernel separateFp32(SeparateForm form) {
        return PanamaSeparateFp32.of(form);
    }

    @Override
    public SeparateDenseRowKernel separateDenseFp64(SeparateForm form) {
        return PanamaSeparateFp64.of(form);
    }

    @Override
    public SeparateDenseRowKernel separateDenseFp32(SeparateForm form) {
        return PanamaSeparateFp32.of(form);
    }

    @Override
    public SeparateDenseRowKernel separateDenseNarrow(Precision format, SeparateForm form) {
        return PanamaSeparateDenseNarrow.of(format, form);
    }

    @Override
    public SeparateSparseRowKernel separateNarrow(Precision format, SeparateForm form) {
        return PanamaSeparateNarrow.of(format, form);
    }

    @Override
    public void expNonPositive(double[] x, double[] out, int n) {
        int w = VectorExp.S.length();
        int bound = VectorExp.S.loopBound(n);
        int i = 0;
        for (; i < bound; i += w) {
            DoubleVector v = DoubleVector.fromArray(VectorExp.S, x, i);
            VectorExp.expNonPositive(v).intoArray(out, i);
            VectorMask<Double> special = VectorExp.tinyOrZero(v);
            if (special.anyTrue()) {
                for (int l = 0; l < w; l++) {
                    if (special.laneIsSet(l)) {
                        out[i + l] = StrictMath.exp(x[i + l]);
                    }
                }
            }
        }
        for (; i < n; i++) {
            out[i] = StrictMath.exp(x[i]);
        }
    }

    @Override
    public void exp(double[] x, double[] out, int n) {
        int w = VectorExp.S.length();
        int bound = VectorExp.S.loopBound(n);
        int i = 0;
        for (; i < bound; i += w) {
            DoubleVector v = DoubleVector.fromArray(VectorExp.S, x, i);
            VectorExp.exp(v).intoArray(out, i);
            VectorMask<Double> special = VectorExp.special(v);
            if (special.anyTrue()) {
                for (int l = 0; l < w; l++) {
                    if (special.laneIsSet(l)) {
                        out[i + l] = StrictMath.exp(x[i + l]);
                    }
                }
            }
        }
        for (; i < n; i++) {
            out[i] = StrictMath.exp(x[i]);
        }
    }
}
