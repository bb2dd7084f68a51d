package dev.softmaxlab.experiments.model;

/**
 * out = tanh(in) elementwise, with {@link StrictMath#tanh} so results do not depend on the platform; backward uses
 * the stored output: dIn = dOut · (1 − out²). In fp32 each result is rounded to float.
 */
final class TanhLayer implements Layer {

    private final int size;
    private final ModelPrecision precision;

    TanhLayer(int size, ModelPrecision precision) {
        this.size = size;
        this.precision = precision;
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
            y[i] = precision.round(StrictMath.tanh(x[i]));
        }
    }

    @Override
    public void backward(double[] p, int offset, double[] x, double[] y, double[] dy, int batch, double[] g,
                         double[] dx) {
        if (dx == null) {
            return;
        }
        for (int i = 0, n = batch * size; i < n; i++) {
            double slope = precision.round(1 - precision.round(y[i] * y[i]));
            dx[i] = precision.round(dy[i] * slope);
        }
    }
}
