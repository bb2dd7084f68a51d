package dev.softmaxlab.experiments.model;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.train.TrainConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Builds the model a {@link TrainConfig} describes, with its settings taken from the config only.
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

    public static final List<String> MODELS = List.of("linear", "mlp");
    public static final List<String> ACTIVATIONS = List.of("relu", "tanh");
    public static final List<String> INITS = List.of("he", "xavier");

    /** Parameters per model: each run holds its own copy and optimizer state, and the limit keeps that in memory. */
    public static final long MAX_PARAMETERS = 50_000_000L;

    private Models() {
    }

    /**
     * @param inputSize D, the number of features
     * @param classes   K
     * @param rng       the init stream (see {@code data.Seeds.INIT}), advanced
     * @throws InvalidInputException naming the key, the value and the fix for a bad setting
     */
    public static FeedForwardModel create(TrainConfig config, int inputSize, int classes, RandomGenerator rng) {
        if (inputSize < 1) {
            throw new IllegalArgumentException("inputSize must be positive: " + inputSize);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be at least 2: " + classes);
        }
        String model = config.model();
        if (!MODELS.contains(model)) {
            throw new InvalidInputException("model '" + model + "' is unknown; give linear (softmax regression) or"
                    + " mlp (with hidden and activation)");
        }
        String init = config.init();
        if (!INITS.contains(init)) {
            throw new InvalidInputException("init '" + init + "' is unknown; give he or xavier");
        }
        double initScale = config.initScale();
        if (!(initScale >= 0) || Double.isInfinite(initScale)) {
            throw new InvalidInputException("initScale " + initScale + " must be a finite number ≥ 0 (1 keeps the"
                    + " " + init + " scale)");
        }
        double logitScale = config.logitScale();
        if (!(logitScale > 0) || Double.isInfinite(logitScale)) {
            throw new InvalidInputException("logitScale " + logitScale + " must be a finite number > 0 (1 leaves the"
                    + " logits unchanged)");
        }
        ModelPrecision precision = ModelPrecision.fromId(config.modelPrecision());

        List<Integer> sizes = new ArrayList<>();
        sizes.add(inputSize);
        List<Layer> layers = new ArrayList<>();
        if (model.equals("mlp")) {
            String activation = config.activation();
            if (!ACTIVATIONS.contains(activation)) {
                throw new InvalidInputException("activation '" + activation + "' is unknown; give relu or tanh");
            }
            List<Integer> hidden = config.hidden();
            if (hidden == null || hidden.isEmpty()) {
                throw new InvalidInputException("hidden is empty; an mlp needs at least one hidden layer size, e.g."
                        + " 64 or 64,64 (or use model linear)");
            }
            for (Integer h : hidden) {
                if (h == null || h < 1) {
                    throw new InvalidInputException("hidden size " + h + " in " + hidden + " must be at least 1;"
                            + " give positive layer widths, e.g. 64,64");
                }
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
