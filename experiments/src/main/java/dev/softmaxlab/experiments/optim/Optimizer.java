package dev.softmaxlab.experiments.optim;

/** Updates parameters in place from their gradient. Stateful (momentum, moments): one instance per trained copy. */
public interface Optimizer {

    /**
     * @param params [P], modified
     * @param grads  [P], not modified
     */
    void step(double[] params, double[] grads);
}
