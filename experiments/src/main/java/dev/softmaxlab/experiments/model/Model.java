package dev.softmaxlab.experiments.model;

/**
 * A differentiable map from features to logits with all parameters in one flat vector, so optimizers and the
 * training loop treat every model alike. Implementations keep the activations of the last forward for backward,
 * and allocate nothing per call once sized for a batch.
 */
public interface Model {

    int inputSize();

    /** The number of classes K. */
    int outputSize();

    int parameterCount();

    /** The live parameter vector [parameterCount]; optimizers update it in place. */
    double[] parameters();

    /**
     * @param x      [batch, inputSize] row-major, not modified
     * @param batch  number of rows
     * @param logits output [batch, outputSize], including the logit scale
     */
    void forward(double[] x, int batch, double[] logits);

    /**
     * Backward of the last {@link #forward}.
     *
     * @param dLogits   dLoss/dlogits [batch, outputSize], not modified
     * @param paramGrad output dLoss/dparameters [parameterCount], overwritten
     */
    void backward(double[] dLogits, double[] paramGrad);

    /** An independent copy with bit-identical parameters and no shared state. */
    Model copy();
}
