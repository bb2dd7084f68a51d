package dev.softmaxlab.experiments.model;

/**
 * One stage of a {@link FeedForwardModel}, forward and backward side by side. A layer holds only its sizes and
 * arithmetic: its parameters live in the model's flat vector at an offset, and the model owns the activation
 * buffers, so a layer is stateless and shared by copies.
 */
interface Layer {

    int inputSize();

    int outputSize();

    int parameterCount();

    /**
     * @param params the model's parameters, this layer's from {@code offset}; not modified
     * @param in     [batch, inputSize], not modified
     * @param out    [batch, outputSize], overwritten
     */
    void forward(double[] params, int offset, double[] in, int batch, double[] out);

    /**
     * Backward of a forward over the same {@code in} and {@code out}.
     *
     * @param dOut      dL/dout [batch, outputSize], not modified
     * @param paramGrad dL/dparams, this layer's slice from {@code offset} overwritten
     * @param dIn       dL/din [batch, inputSize], overwritten; null when not needed (the first layer)
     */
    void backward(double[] params, int offset, double[] in, double[] out, double[] dOut, int batch,
                  double[] paramGrad, double[] dIn);
}
