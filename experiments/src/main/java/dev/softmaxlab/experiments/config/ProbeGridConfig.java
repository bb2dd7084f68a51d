package dev.softmaxlab.experiments.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.core.loss.LossPath;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import dev.softmaxlab.experiments.checks.Require;
import java.util.List;
import java.util.Objects;

/**
 * One row of a probe-grid spec ({@code "kind": "probe"}): a synthetic logit row, evaluated through every path ×
 * precision of its loss head. Resolved from text by {@link ProbeGridKeys#resolve}.
 *
 * <p>The row has {@code classes} logits and its label is class 0. With u_j uniform in [-1, 1) drawn from
 * {@code java.util.Random(seed)} for j = 1..C-1, and u_0 = max_{j≥1} u_j + confidence (u_0 = confidence when C = 1),
 * the logits are z_j = logitScale · u_j (computed in fp64; each path rounds them to its format). So
 * {@code confidence > 0} makes the label the argmax by that margin (times the scale) and p_label → 1 as the scale
 * grows; {@code confidence < 0} makes the row confidently wrong.
 *
 * @param classes    C ≥ 1
 * @param logitScale a finite number ≥ 0
 * @param confidence a finite number: the label's margin over the largest other logit, before scaling
 * @param seed       the seed of the other logits
 * @param head       the loss head: paths, precisions, accumulation and loss options, resolved by the train config's
 *                   converter ({@link ConfigKeys}) from the loss-head keys only; its other settings stay at their
 *                   defaults and are never read or written
 */
public record ProbeGridConfig(int classes, double logitScale, double confidence, long seed, TrainConfig head)
        implements RunConfig {

    public ProbeGridConfig {
        Require.atLeast("classes", classes, 1);
        Require.nonNegative("logitScale", logitScale, "100");
        Require.range("confidence", confidence, Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false,
                "0.5");
        Objects.requireNonNull(head, "head");
    }

    /** The label of the synthetic row. */
    public static final int LABEL = 0;

    @Override
    public List<LossPath> paths() {
        return head.paths();
    }

    @Override
    public List<Precision> precision() {
        return head.precision();
    }

    /** Compute and accumulation format of each precision, by the training rule ({@link TrainConfig#precisionSpec}). */
    public List<PrecisionSpec> precisionSpecs() {
        return head.precisionSpecs();
    }

    /** The synthetic logits, [C] (see the class comment). */
    public double[] logits() {
        java.util.Random random = new java.util.Random(seed);
        double[] u = new double[classes];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 1; j < classes; j++) {
            u[j] = 2 * random.nextDouble() - 1;
            max = Math.max(max, u[j]);
        }
        u[LABEL] = (classes == 1 ? 0 : max) + confidence;
        double[] z = new double[classes];
        for (int j = 0; j < classes; j++) {
            z[j] = logitScale * u[j];
        }
        return z;
    }

    @Override
    public ObjectNode toJson() {
        return ProbeGridKeys.toJson(this);
    }
}
