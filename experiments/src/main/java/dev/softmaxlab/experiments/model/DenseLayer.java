package dev.softmaxlab.experiments.model;

import java.util.Arrays;

/**
 * An affine map out = in · W + b, with W [in, out] row-major followed by b [out] in the parameter vector.
 *
 * <p>Sums run in a fixed order (over the input index for the forward and dIn, over the batch for dW and db), and in
 * fp32 every product and partial sum is rounded to float, so results are reproducible to the bit.
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

    /** Offset of b in the parameter vector. */
    int biasOffset(int offset) {
        return offset + in * out;
    }

    @Override
    public void forward(double[] p, int offset, double[] x, int batch, double[] y) {
        // x is [B, in], W is [in, out], y is [B, out]; y[b, k] = b[k] + Σ_d x[b, d] W[d, k], summed over d ascending
        int bias = biasOffset(offset);
        for (int r = 0; r < batch; r++) {
            int yRow = r * out;
            System.arraycopy(p, bias, y, yRow, out);
            for (int d = 0; d < in; d++) {
                double xv = x[r * in + d];
                int wRow = offset + d * out;
                if (fp32) {
                    for (int k = 0; k < out; k++) {
                        y[yRow + k] = (float) (y[yRow + k] + (float) (xv * p[wRow + k]));
                    }
                } else {
                    for (int k = 0; k < out; k++) {
                        y[yRow + k] += xv * p[wRow + k];
                    }
                }
            }
        }
    }

    @Override
    public void backward(double[] p, int offset, double[] x, double[] y, double[] dy, int batch, double[] g,
                         double[] dx) {
        // dW[d, k] = Σ_b x[b, d] dy[b, k] and db[k] = Σ_b dy[b, k], summed over b ascending
        int bias = biasOffset(offset);
        Arrays.fill(g, offset, bias + out, 0.0);
        for (int r = 0; r < batch; r++) {
            int dyRow = r * out;
            for (int d = 0; d < in; d++) {
                double xv = x[r * in + d];
                int gRow = offset + d * out;
                if (fp32) {
                    for (int k = 0; k < out; k++) {
                        g[gRow + k] = (float) (g[gRow + k] + (float) (xv * dy[dyRow + k]));
                    }
                } else {
                    for (int k = 0; k < out; k++) {
                        g[gRow + k] += xv * dy[dyRow + k];
                    }
                }
            }
            if (fp32) {
                for (int k = 0; k < out; k++) {
                    g[bias + k] = (float) (g[bias + k] + dy[dyRow + k]);
                }
            } else {
                for (int k = 0; k < out; k++) {
                    g[bias + k] += dy[dyRow + k];
                }
            }
        }
        if (dx == null) {
            return;
        }
        // dx[b, d] = Σ_k dy[b, k] W[d, k], summed over k ascending; dx is [B, in]
        for (int r = 0; r < batch; r++) {
            int dyRow = r * out;
            for (int d = 0; d < in; d++) {
                int wRow = offset + d * out;
                double acc = 0;
                if (fp32) {
                    for (int k = 0; k < out; k++) {
                        acc = (float) (acc + (float) (dy[dyRow + k] * p[wRow + k]));
                    }
                } else {
                    for (int k = 0; k < out; k++) {
                        acc += dy[dyRow + k] * p[wRow + k];
                    }
                }
                dx[r * in + d] = acc;
            }
        }
    }
}
