package dev.softmaxlab.experiments.model;

import java.util.List;

/**
 * A stack of {@link Layer}s followed by the logit scale s: logits = s · f(x). With one {@link DenseLayer} it is
 * softmax regression (W [D, K], b [K]); with hidden layers and activations, an MLP. All parameters sit in one flat
 * vector, layer by layer (each dense layer's W then b).
 *
 * <p>The model keeps the activations of the last forward for backward, in buffers sized on first use and regrown
 * only when a larger batch arrives, so forward and backward allocate nothing in steady state. The input is copied
 * (and in fp32 rounded to float) into the model's own buffer, so the caller may reuse its array after forward.
 *
 * <p>In fp32 the scale is applied as float(s) and every logit and gradient is rounded to float.
 */
public final class FeedForwardModel implements Model {

    private final Layer[] layers;
    private final int[] offsets;
    private final double[] params;
    private final ModelPrecision precision;
    private final double logitScale;

    // acts[i] is the input of layer i, acts[layers.length] the unscaled logits: acts[i] is [capacity, size_i]
    private double[][] acts;
    // grads[i] is dL/d acts[i], same shapes; grads[0] is never filled (nothing upstream needs it)
    private double[][] grads;
    private int capacity;
    private int lastBatch = -1;

    FeedForwardModel(List<Layer> layers, double[] params, ModelPrecision precision, double logitScale) {
        this.layers = layers.toArray(new Layer[0]);
        this.offsets = new int[this.layers.length];
        int total = 0;
        for (int i = 0; i < this.layers.length; i++) {
            offsets[i] = total;
            total += this.layers[i].parameterCount();
        }
        if (params.length != total) {
            throw new IllegalArgumentException("expected " + total + " parameters, got " + params.length);
        }
        this.params = params;
        this.precision = precision;
        this.logitScale = precision.round(logitScale);
    }

    @Override
    public int inputSize() {
        return layers[0].inputSize();
    }

    @Override
    public int outputSize() {
        return layers[layers.length - 1].outputSize();
    }

    @Override
    public int parameterCount() {
        return params.length;
    }

    @Override
    public double[] parameters() {
        return params;
    }

    public ModelPrecision precision() {
        return precision;
    }

    /** The logit scale s as applied (rounded to float in fp32). */
    public double logitScale() {
        return logitScale;
    }

    @Override
    public void forward(double[] x, int batch, double[] logits) {
        // x is [B, D], logits is [B, K]
        int d = inputSize();
        int k = outputSize();
        if (batch < 1 || x.length < batch * d || logits.length < batch * k) {
            throw new IllegalArgumentException("batch " + batch + " needs x of " + batch * d + " and logits of "
                    + batch * k + " values; got " + x.length + " and " + logits.length);
        }
        ensureCapacity(batch);
        double[] input = acts[0];
        for (int i = 0, n = batch * d; i < n; i++) {
            input[i] = precision.round(x[i]);
        }
        for (int l = 0; l < layers.length; l++) {
            layers[l].forward(params, offsets[l], acts[l], batch, acts[l + 1]);
        }
        double[] z = acts[layers.length];
        for (int i = 0, n = batch * k; i < n; i++) {
            logits[i] = precision.round(logitScale * z[i]);
        }
        lastBatch = batch;
    }

    @Override
    public void backward(double[] dLogits, double[] paramGrad) {
        if (lastBatch < 0) {
            throw new IllegalStateException("backward before forward");
        }
        int batch = lastBatch;
        int k = outputSize();
        if (dLogits.length < batch * k || paramGrad.length != params.length) {
            throw new IllegalArgumentException("dLogits needs " + batch * k + " values and paramGrad "
                    + params.length + "; got " + dLogits.length + " and " + paramGrad.length);
        }
        // logits = s · z, so dL/dz = s · dL/dlogits; dz is [B, K]
        double[] dz = grads[layers.length];
        for (int i = 0, n = batch * k; i < n; i++) {
            dz[i] = precision.round(logitScale * dLogits[i]);
        }
        for (int l = layers.length - 1; l >= 0; l--) {
            layers[l].backward(params, offsets[l], acts[l], acts[l + 1], grads[l + 1], batch, paramGrad,
                    l == 0 ? null : grads[l]);
        }
    }

    @Override
    public FeedForwardModel copy() {
        return new FeedForwardModel(List.of(layers), params.clone(), precision, logitScale);
    }

    private void ensureCapacity(int batch) {
        if (batch <= capacity) {
            return;
        }
        acts = new double[layers.length + 1][];
        grads = new double[layers.length + 1][];
        acts[0] = new double[batch * inputSize()];
        for (int l = 0; l < layers.length; l++) {
            acts[l + 1] = new double[batch * layers[l].outputSize()];
            grads[l + 1] = new double[batch * layers[l].outputSize()];
        }
        capacity = batch;
    }
}
