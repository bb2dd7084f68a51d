package dev.softmaxlab.experiments.model;

import dev.softmaxlab.experiments.checks.SettingException;
import dev.softmaxlab.experiments.checks.Needs;
import dev.softmaxlab.experiments.checks.Require;
import java.util.List;
import java.util.Objects;

/**
 * The model a run trains: the model keys of a train config, checked once, here.
 *
 * @param model      linear (softmax regression) | mlp
 * @param hidden     mlp hidden layer sizes, each ≥ 1
 * @param activation relu | tanh (mlp)
 * @param init       he | xavier
 * @param initScale  multiplies the initial weights, finite ≥ 0
 * @param logitScale multiplies the logits before the loss, finite > 0
 * @param precision  the model's (and its optimizer's) own arithmetic
 */
public record ModelSettings(String model, List<Integer> hidden, String activation, String init, double initScale,
                            double logitScale, ModelPrecision precision) {

    public static final List<String> MODELS = List.of("linear", "mlp");
    public static final List<String> ACTIVATIONS = List.of("relu", "tanh");
    public static final List<String> INITS = List.of("he", "xavier");

    public ModelSettings {
        Require.oneOf("model", model, MODELS);
        hidden = List.copyOf(Objects.requireNonNull(hidden, "hidden"));
        if (hidden.isEmpty()) {
            throw Require.fail("hidden", "hidden = []: needs at least one layer size, e.g. [64]");
        }
        for (int i = 0; i < hidden.size(); i++) {
            if (hidden.get(i) < 1) {
                throw new SettingException("hidden", i,
                        "hidden = " + hidden + ": every layer size must be >= 1, e.g. [64, 64]", null);
            }
        }
        Require.oneOf("activation", activation, ACTIVATIONS);
        Require.oneOf("init", init, INITS);
        Require.nonNegative("initScale", initScale, "1");
        Require.positive("logitScale", logitScale, "1");
        Objects.requireNonNull(precision, "precision");
    }

    public boolean mlp() {
        return model.equals("mlp");
    }

    /** What {@code key} needs to change anything, or null: {@code hidden} and {@code activation} shape an mlp. */
    public Needs needs(String key) {
        return switch (key) {
            case "hidden", "activation" -> mlp() ? null : new Needs("model", "mlp");
            default -> null;
        };
    }
}
