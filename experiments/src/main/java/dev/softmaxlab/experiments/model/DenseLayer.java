package dev.softmaxlab.experiments.model;

import java.util.Arrays;

/**
 * An affine map out = in · W + b, with W [in, out] row-major followed by b [out] in the parameter vector.
 *
 * <p>Sums run in a fixed order (over the input index for the forward and dIn, over the batch for dW and db), so
 * results are reproducible to the bit. Each kernel comes in two variants side by side: fp64 in plain double, and
 * fp32 rounding every product and partial sum to float (bit-exact float arithmetic, see {@link ModelPrecision});
 * the choice is made once per call, outside the loops.
 */
final class DenseLayer implements Layer {

    private final int in;
    private final int out;
    private final boolean fp32;

    DenseLayer(int in, int out, ModelPrecision precision) {
        this.in = in;
        this.out = out;
        this.fp32 = precision == ModelPrecision.FP32;
    }

    @Override
    public int inputSize() {
        return in;
    }

    @Override
    public int outputSize() {
        return out;
    }

    @Override
    public int parameterCount() {
        return in * out + out;
    }

    @Override
    public void forward(double[] p, int offset, double[] x, int batch, double[] y) {
        // x is [B, in], W is [in, out], y is [B, out]; y[b, k] = b[k] + Σ_d x[b, d] W[d, k], summed over d ascending
        int bias = offset + in * out;
        for (int r = 0; r < batch; r++) {
            int yRow = r * out;
            System.arraycopy(p, bias, y, yRow, out);
            if (fp32) {
                forwardRow32(p, offset, x, r * in, y, yRow);
            } else {
                forwardRow64(p, offset, x, r * in, y, yRow);
            }
        }
    }

    private void forwardRow64(double[] p, int offset, double[] x, int xRow, double[] y, int yRow) {
        for (int d = 0; d < in; d++) {
            double xv = x[xRow + d];
            int wRow = offset + d * out;
            for (int k = 0; k < out; k++) {
                y[yRow + k] += xv * p[wRow + k];
            }
        }
    }

    private void forwardRow32(double[] p, int offset, double[] x, int xRow, double[] y, int yRow) {
        for (int d = 0; d < in; d++) {
            double xv = x[xRow + d];
            int wRow = offset + d * out;
            for (int k = 0; k < out; k++) {
                y[yRow + k] = (float) (y[yRow + k] + (float) (xv * p[wRow + k]));
            }
        }
    }

    @Override
    public void backward(double[] p, int offset, double[] x, double[] y, double[] dy, int batch, double[] g,
                         double[] dx) {
        // dW[d, k] = Σ_b x[b, d] dy[b, k] and db[k] = Σ_b dy[b, k], summed over b ascending
        int bias = offset + in * out;
        Arrays.fill(g, offset, bias + out, 0.0);
        for (int r = 0; r < batch; r++) {
            if (fp32) {
                paramGradRow32(offset, x, r * in, dy, r * out, g);
            } else {
                paramGradRow64(offset, x, r * in, dy, r * out, g);
            }
        }
        if (dx == null) {
            return;
        }
        // dx[b, d] = Σ_k dy[b, k] W[d, k], summed over k ascending; dx is [B, in]
        for (int r = 0; r < batch; r++) {
            if (fp32) {
                inputGradRow32(p, offset, dy, r * out, dx, r * in);
            } else {
                inputGradRow64(p, offset, dy, r * out, dx, r * in);
            }
        }
    }

    private void paramGradRow64(int offset, double[] x, int xRow, double[] dy, int dyRow, double[] g) {
        for (int d = 0; d < in; d++) {
            double xv = x[xRow + d];
            int gRow = offset + d * out;
            for (int k = 0; k < out; k++) {
                g[gRow + k] += xv * dy[dyRow + k];
            }
        }
        int bias = offset + in * out;
        for (int k = 0; k < out; k++) {
            g[bias + k] += dy[dyRow + k];
        }
    }

    private void paramGradRow32(int offset, double[] x, int xRow, double[] dy, int dyRow, double[] g) {
        for (int d = 0; d < in; d++) {
            double xv = x[xRow + d];
            int gRow = offset + d * out;
            for (int k = 0; k < out; k++) {
                g[gRow + k] = (float) (g[gRow + k] + (float) (xv * dy[dyRow + k]));
            }
        }
        int bias = offset + in * out;
        for (int k = 0; k < out; k++) {
            g[bias + k] = (float) (g[bias + k] + dy[dyRow + k]);
        }
    }

    private void inputGradRow64(double[] p, int offset, double[] dy, int dyRow, double[] dx, int dxRow) {
        for (int d = 0; d < in; d++) {
            int wRow = offset + d * out;
            double acc = 0;
            for (int k = 0; k < out; k++) {
                acc += dy[dyRow + k] * p[wRow + k];
            }
            dx[dxRow + d] = acc;
        }
    }

    private void inputGradRow32(double[] p, int offset, double[] dy, int dyRow, double[] dx, int dxRow) {
        for (int d = 0; d < in; d++) {
            int wRow = offset + d * out;
            double acc = 0;
            for (int k = 0; k < out; k++) {
                acc = (float) (acc + (float) (dy[dyRow + k] * p[wRow + k]));
            }
            dx[dxRow + d] = acc;
        }
    }
}
