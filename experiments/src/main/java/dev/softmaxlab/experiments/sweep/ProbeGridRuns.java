package dev.softmaxlab.experiments.sweep;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.core.exact.ExactLossHead;
import dev.softmaxlab.core.loss.LossInput;
import dev.softmaxlab.core.loss.LossOptions;
import dev.softmaxlab.core.loss.LossPath;
import dev.softmaxlab.core.loss.LossResult;
import dev.softmaxlab.core.loss.Reduction;
import dev.softmaxlab.core.numeric.ErrorMetrics;
import dev.softmaxlab.core.precision.PrecisionSpec;
import dev.softmaxlab.experiments.config.ProbeGridConfig;
import dev.softmaxlab.experiments.report.EventCounts;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.report.ProbeRowSummary;
import dev.softmaxlab.experiments.report.TrainingRun;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates a probe-grid row ({@link ProbeGridConfig}) through every path × precision, against the exact reference
 * ({@link ExactLossHead}, double-double, rounded once) where there is one ({@link ProbeRowSummary}). Pure and
 * deterministic: the same config gives the same bits.
 */
public final class ProbeGridRuns {

    /** The schema of a probe-grid row's result file, {@code DIR/runs/<id>.json}. */
    public static final String SCHEMA = "softmaxlab.probeRow/1";

    private ProbeGridRuns() {
    }

    /** One summary per path × precision, paths outer, as {@link #report} lists them. */
    public static List<ProbeRowSummary> evaluate(ProbeGridConfig config) {
        int c = config.classes();
        double[] logits = config.logits();
        LossInput input = LossInput.ofLabel(logits, ProbeGridConfig.LABEL);
        LossOptions options = config.head().loss();
        ExactLossHead exact = exactReference(logits, options);
        double refLoss = exact == null ? Double.NaN : exact.loss().doubleValue();
        double[] refGradient = null;
        if (exact != null) {
            // row losses stay undivided, but a mean divides the gradient by D = w_label (one kept weighted row)
            double divisor = options.reduction() == Reduction.MEAN && !options.classWeights().isUniform()
                    ? options.classWeights().toArray()[ProbeGridConfig.LABEL] : 1.0;
            if (divisor != 1.0) {
                exact.evaluate(logits, 0, c, ProbeGridConfig.LABEL, null, 0, divisor);
            }
            refGradient = exact.gradient().clone();
        }
        LossResult out = new LossResult();
        List<ProbeRowSummary> summaries = new ArrayList<>();
        for (LossPath path : config.paths()) {
            for (PrecisionSpec spec : config.precisionSpecs()) {
                path.evaluate(input, config.head().loss(), spec, out);
                double loss = out.rowLosses()[0];
                double[] g = out.gradient();
                int label = ProbeGridConfig.LABEL;
                EventCounts events = EventCounts.of(out.events());
                boolean ref = exact != null;
                summaries.add(new ProbeRowSummary(loss,
                        ref ? ErrorMetrics.ulpError(loss, refLoss, spec.compute()) : null, g[label],
                        ref ? ErrorMetrics.ulpError(g[label], refGradient[label], spec.compute()) : null,
                        ref ? ErrorMetrics.relativeError(g[label], refGradient[label]) : null,
                        maxAbs(g, c), ref ? ErrorMetrics.maxAbsError(g, refGradient, 0, c) : null,
                        events.totalNonFinite(), events));
            }
        }
        return summaries;
    }

    /**
     * The row's result document: {@code {"schema": "softmaxlab.probeRow/1", "config": {...}, "runs": [{"id",
     * "path", "precision", "accumulate", "summary"}]}}, the layout a training report gives its runs, so the sweep
     * reads both alike.
     */
    public static ObjectNode report(ProbeGridConfig config) {
        ObjectNode d = Json.mapper().createObjectNode();
        d.put("schema", SCHEMA);
        d.set("config", config.toJson());
        ArrayNode runs = d.putArray("runs");
        List<ProbeRowSummary> summaries = evaluate(config);
        int i = 0;
        for (LossPath path : config.paths()) {
            for (PrecisionSpec spec : config.precisionSpecs()) {
                ObjectNode r = runs.addObject();
                r.put("id", TrainingRun.idOf(path.id(), spec.compute().id()));
                r.put("path", path.id());
                r.put("precision", spec.compute().id());
                r.put("accumulate", spec.accumulate().id());
                r.set("summary", Json.mapper().valueToTree(summaries.get(i++)));
            }
        }
        return d;
    }

    /**
     * The exact loss head of the row ({@link ExactLossHead}: softcap, class weights, label smoothing and z-loss, its
     * loss undivided); null when it has none: a non-finite logit. The chunk size and chunk carry change how
     * {@code fused-chunked} computes the same loss, not the loss (their effect is that path's error), and the clip ε
     * belongs to {@code separate-clipped}'s approximation: neither enters the reference.
     */
    static ExactLossHead exactReference(double[] logits, LossOptions options) {
        ExactLossHead exact = new ExactLossHead(options.labelSmoothing(),
                options.classWeights().isUniform() ? null : options.classWeights().toArray(), options.zLoss(),
                options.softcap().orElse(Double.NaN));
        return exact.evaluate(logits, 0, logits.length, ProbeGridConfig.LABEL, null, 0) ? exact : null;
    }

    private static double maxAbs(double[] g, int n) {
        double max = 0;
        for (int j = 0; j < n; j++) {
            double a = Math.abs(g[j]);
            if (Double.isNaN(a)) {
                return Double.NaN;
            }
            max = Math.max(max, a);
        }
        return max;
    }
}
