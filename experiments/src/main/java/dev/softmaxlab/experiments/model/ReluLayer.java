package dev.softmaxlab.experiments.model;

/**
 * out = max(0, in) elementwise. NaN passes through both ways (forward NaN stays NaN; backward lets the gradient
 * through where in is NaN), so a non-finite value is never turned into a clean 0. The derivative at 0 is 0.
 * Rounding is a no-op: max of a float is a float.
 */
final class ReluLayer implements Layer {

    private final int size;

    ReluLayer(int size) {
        this.size = size;
    }

    @Override
    public int inputSize() {
        return size;
    }

    @Override
    public int outputSize() {
        return size;
    }

    @Override
    public int parameterCount() {
        return 0;
    }

    @Override
    public void forward(double[] p, int offset, double[] x, int batch, double[] y) {
        // x and y are [B, H]
        for (int i = 0, n = batch * size; i < n; i++) {
            y[i] = Math.max(0.0, x[i]);
        }
    }

    @Override
    public void backward(double[] p, int offset, double[] x, double[] y, double[] dy, int batch, double[] g,
                         double[] dx) {
        if (dx == null) {
            return;
        }
        for (int i = 0, n = batch * size; i < n; i++) {
            dx[i] = x[i] <= 0 ? 0.0 : dy[i];
        }
    }
}
