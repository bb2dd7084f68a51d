package dev.softmaxlab.experiments.optim;

import dev.softmaxlab.experiments.checks.Needs;
import dev.softmaxlab.experiments.checks.Require;
import java.util.List;

/**
 * The optimizer of a run: the optimizer keys of a train config, checked once, here. Every setting is range-checked
 * whichever optimizer is chosen, so a config's values are valid wherever they are used.
 *
 * @param name        sgd | momentum | adam
 * @param lr          learning rate, finite > 0
 * @param weightDecay L2 weight decay, finite ≥ 0
 * @param momentum    momentum: coefficient in [0, 1)
 * @param beta1       adam: β1 in [0, 1)
 * @param beta2       adam: β2 in [0, 1)
 * @param adamEps     adam: ε, finite > 0
 */
public record OptimizerSettings(String name, double lr, double weightDecay, double momentum, double beta1,
                                double beta2, double adamEps) {

    public static final List<String> NAMES = List.of("sgd", "momentum", "adam");

    public OptimizerSettings {
        Require.oneOf("optimizer", name, NAMES);
        Require.positive("lr", lr, "0.1");
        Require.nonNegative("weightDecay", weightDecay, "0");
        Require.unitInterval("momentum", momentum, "0.9");
        Require.unitInterval("beta1", beta1, "0.9");
        Require.unitInterval("beta2", beta2, "0.999");
        Require.positive("adamEps", adamEps, "1e-8");
    }

    /** What {@code key} needs to change anything, or null: momentum's and adam's own settings. */
    public Needs needs(String key) {
        return switch (key) {
            case "momentum" -> name.equals("momentum") ? null : new Needs("optimizer", "momentum");
            case "beta1", "beta2", "adamEps" -> name.equals("adam") ? null : new Needs("optimizer", "adam");
            default -> null;
        };
    }
}
