package dev.softmaxlab.core.kernel;

import dev.softmaxlab.core.precision.Precision;

/** The kernels every JVM runs: plain Java, one element at a time. */
final class ScalarKernelProvider extends KernelProvider {

    static final ScalarKernelProvider INSTANCE = new ScalarKernelProvider();

    private ScalarKernelProvider() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public String description() {
        return "scalar Java, StrictMath.exp";
    }

    @Override
    public FusedSparseRowKernel fusedFp64() {
        return ScalarFusedFp64.INSTANCE;
    }

    @Override
    public FusedSparseRowKernel fusedFp32() {
        return ScalarFusedFp32.INSTANCE;
    }

    @Override
    public SeparateSparseRowKernel separateFp64(SeparateForm form) {
        return ScalarSeparateFp64.of(form);
    }

    @Override
    public SeparateSparseRowKernel separateFp32(SeparateForm form) {
        return ScalarSeparateFp32.of(form);
    }

    @Override
    public SeparateDenseRowKernel separateDenseFp64(SeparateForm form) {
        return ScalarSeparateFp64.of(form);
    }

    @Override
    public SeparateDenseRowKernel separateDenseFp32(SeparateForm form) {
        return ScalarSeparateFp32.of(form);
    }

    @Override
    public SeparateSparseRowKernel separateNarrow(Precision format, SeparateForm form) {
        return ScalarSeparateNarrow.of(format, form);
    }

    @Override
    public void expNonPositive(double[] x, double[] out, int n) {
        exp(x, out, n);
    }

    @Override
    public void exp(double[] x, double[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = StrictMath.exp(x[i]);
        }
    }
}
