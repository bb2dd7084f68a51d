package dev.softmaxlab.experiments.model;

/**
 * out = max(0, in) elementwise; the derivative is 1 for in > 0 and 0 for in ≤ 0 (so 0 at the kink). A NaN input
 * stays NaN forward and gives a NaN gradient backward (the derivative is undefined there), so a non-finite value is
 * never turned into a clean number. Rounding is a no-op: max of a float is a float.
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
            dx[i] = x[i] > 0 ? dy[i] : x[i] <= 0 ? 0.0 : Double.NaN;
        }
    }
}
