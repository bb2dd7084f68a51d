package dev.softmaxlab.experiments.model;

import dev.softmaxlab.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Builds the model {@link ModelSettings} describe (already checked there).
 *
 * <ul>
 *   <li>{@code linear}: softmax regression, one dense layer D → K.</li>
 *   <li>{@code mlp}: dense layers through the {@code hidden} sizes, each followed by {@code activation}
 *       (relu | tanh), then a dense layer to K.</li>
 * </ul>
 *
 * Initialization, layer by layer in order, each W row-major: w = initScale · σ · g with g ~ N(0, 1) from
 * {@code rng}, where σ = sqrt(2 / fanIn) for {@code he} (He et al., 2015) and σ = sqrt(2 / (fanIn + fanOut)) for
 * {@code xavier} (Glorot and Bengio, 2010, normal variant); biases start at 0. In fp32 each weight is rounded to
 * float. The logits are multiplied by {@code logitScale} inside forward.
 */
public final class Models {

    /** Parameters per model: each run holds its own copy and optimizer state, and the limit keeps that in memory. */
    public static final long MAX_PARAMETERS = 50_000_000L;

    private Models() {
    }

    /**
     * @param inputSize D, the number of features
     * @param classes   K
     * @param rng       the init stream (see {@code data.Seeds.INIT}), advanced
     * @throws InvalidInputException when the model would have too many parameters
     */
    public static FeedForwardModel create(ModelSettings config, int inputSize, int classes, RandomGenerator rng) {
        if (inputSize < 1) {
            throw new IllegalArgumentException("inputSize must be positive: " + inputSize);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be at least 2: " + classes);
        }
        String model = config.model();
        String init = config.init();
        double initScale = config.initScale();
        double logitScale = config.logitScale();
        ModelPrecision precision = config.precision();

        List<Integer> sizes = new ArrayList<>();
        sizes.add(inputSize);
        List<Layer> layers = new ArrayList<>();
        if (model.equals("mlp")) {
            String activation = config.activation();
            for (int h : config.hidden()) {
                layers.add(new DenseLayer(sizes.get(sizes.size() - 1), h, precision));
                layers.add(activation.equals("relu") ? new ReluLayer(h) : new TanhLayer(h, precision));
                sizes.add(h);
            }
        }
        layers.add(new DenseLayer(sizes.get(sizes.size() - 1), classes, precision));

        long total = 0;
        for (int i = 1; i < sizes.size(); i++) {
            total += (long) sizes.get(i - 1) * sizes.get(i) + sizes.get(i);
        }
        total += (long) sizes.get(sizes.size() - 1) * classes + classes;
        if (total > MAX_PARAMETERS) {
            String what = model.equals("mlp") ? "hidden = " + config.hidden() + " gives "
                    : "a linear model of " + inputSize + " features × " + classes + " classes has ";
            throw new InvalidInputException(what + total + " parameters, more than the " + MAX_PARAMETERS
                    + " this tool trains; give " + (model.equals("mlp") ? "narrower or fewer hidden layers"
                    : "fewer features"));
        }
        int count = 0;
        for (Layer layer : layers) {
            count += layer.parameterCount();
        }
        double[] params = new double[count];
        int offset = 0;
        for (Layer layer : layers) {
            if (layer instanceof DenseLayer) {
                int fanIn = layer.inputSize();
                int fanOut = layer.outputSize();
                double sigma = init.equals("he") ? Math.sqrt(2.0 / fanIn) : Math.sqrt(2.0 / (fanIn + fanOut));
                double std = initScale * sigma;
                for (int i = 0, n = fanIn * fanOut; i < n; i++) {
                    params[offset + i] = precision.round(std * rng.nextGaussian());
                }
            }
            offset += layer.parameterCount();
        }
        return new FeedForwardModel(layers, params, precision, logitScale);
    }
}
