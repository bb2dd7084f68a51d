package dev.softmaxlab.experiments.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.core.loss.LossPath;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import dev.softmaxlab.experiments.checks.Require;
import dev.softmaxlab.experiments.checks.SettingException;
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
 * <p>With {@code labelProbability} p set (C ≥ 2), the label's logit is placed instead of given a margin, so that
 * softmax gives p_label = p: with the other logits z_j = logitScale · u_j first rounded as below, and
 * L = log Σ_{j≥1} exp(z_j) (taken as m + log Σ exp(z_j − m)), z_0 = L + log p − log1p(−p), since then
 * p_label = e^{z_0} / (e^{z_0} + e^L) = p. Then every logit is rounded to the nearest bf16 value (ties to even), and
 * one of magnitude below 2^-14 (fp16's smallest normal) is set to 0: the row is then exact in bf16, fp16, fp32 and
 * fp64 (a bf16 value of at most 8 significant bits that is an fp16 normal is an fp16 value), so every path at every
 * precision sees the very logits the exact reference sees, and the error measured is the path's own. Rounding z_0
 * moves it by at most 2^-9·|z_0|, so the row's 1 − p_label is the asked 1 − p within a relative
 * p·2^-9·|z_0| (about 3 % for |z_0| ≈ 14); the exact reference is taken on the rounded row, so the errors are exact
 * whatever that offset. {@code confidence} is not used then.
 *
 * @param classes    C ≥ 1
 * @param logitScale a finite number ≥ 0
 * @param confidence a finite number: the label's margin over the largest other logit, before scaling
 * @param seed       the seed of the other logits
 * @param labelProbability null, or p in (0, 1): the label's softmax probability (see above; needs C ≥ 2)
 * @param head       the loss head: paths, precisions, accumulation and loss options, resolved by the train config's
 *                   converter ({@link ConfigKeys}) from the loss-head keys only; its other settings stay at their
 *                   defaults and are never read or written
 */
public record ProbeGridConfig(int classes, double logitScale, double confidence, long seed, Double labelProbability,
                              TrainConfig head)
        implements RunConfig {

    public ProbeGridConfig {
        Require.atLeast("classes", classes, 1);
        Require.nonNegative("logitScale", logitScale, "100");
        Require.range("confidence", confidence, Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false,
                "0.5");
        Objects.requireNonNull(head, "head");
        if (labelProbability != null) {
            Require.range("labelProbability", labelProbability, 0, false, 1, false, "0.999");
            if (classes < 2) {
                throw new SettingException("labelProbability", "labelProbability = " + labelProbability
                        + " needs classes >= 2 (with one class p_label is 1): give classes 2 or more, or leave "
                        + "labelProbability out");
            }
        }
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
        return labelProbability == null ? z : placeLabel(z, labelProbability);
    }

    /** The row of {@code labelProbability} (see the class comment): others rounded, then z_0 placed and rounded. */
    private static double[] placeLabel(double[] z, double p) {
        double m = Double.NEGATIVE_INFINITY;
        for (int j = 1; j < z.length; j++) {
            z[j] = exactInHalfFormats(z[j]);
            m = Math.max(m, z[j]);
        }
        double s = 0;
        for (int j = 1; j < z.length; j++) {
            s += Math.exp(z[j] - m);
        }
        z[LABEL] = exactInHalfFormats(m + Math.log(s) + Math.log(p) - Math.log1p(-p));
        return z;
    }

    /** x rounded to bf16, and 0 below fp16's smallest normal 2^-14: a value exact in bf16, fp16, fp32 and fp64. */
    private static double exactInHalfFormats(double x) {
        double b = Precision.BF16.round(x);
        return Math.abs(b) < 0x1p-14 ? 0.0 : b;
    }

    @Override
    public ObjectNode toJson() {
        return ProbeGridKeys.toJson(this);
    }
}
