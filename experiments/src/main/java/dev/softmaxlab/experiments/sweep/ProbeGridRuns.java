package dev.softmaxlab.experiments.sweep;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.core.exact.ExactCrossEntropy;
import dev.softmaxlab.core.loss.LossInput;
import dev.softmaxlab.core.loss.LossOptions;
import dev.softmaxlab.core.loss.LossPath;
import dev.softmaxlab.core.loss.LossResult;
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
 * ({@link ExactCrossEntropy}, double-double, rounded once) where there is one ({@link ProbeRowSummary}). Pure and
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
        ExactCrossEntropy exact = exactReference(logits, config.head().loss());
        double refLoss = exact == null ? Double.NaN : exact.loss().doubleValue();
        double[] refGradient = exact == null ? null : exact.gradient().clone();
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
     * The exact cross-entropy of the row, with the smoothed target t_j = α/C + (1 − α)·[j = label] when label
     * smoothing α is on; null when it has none: a non-finite logit, or a loss option it does not model (every option
     * but label smoothing, the clip ε, the reduction, which changes nothing on one row, and the chunk size and chunk
     * carry, which change how {@code fused-chunked} computes the same cross-entropy, not the cross-entropy: their
     * effect is that path's error).
     */
    static ExactCrossEntropy exactReference(double[] logits, LossOptions options) {
        LossOptions modelled = options.withLabelSmoothing(LossOptions.DEFAULTS.labelSmoothing())
                .withClipEpsilon(LossOptions.DEFAULTS.clipEpsilon()).withReduction(LossOptions.DEFAULTS.reduction())
                .without(dev.softmaxlab.core.loss.LossOption.CHUNK_SIZE)
                .without(dev.softmaxlab.core.loss.LossOption.CHUNK_CARRY);
        if (!modelled.equals(LossOptions.DEFAULTS)) {
            return null;
        }
        int c = logits.length;
        ExactCrossEntropy exact = new ExactCrossEntropy();
        double alpha = options.labelSmoothing();
        boolean ok;
        if (alpha == 0) {
            ok = exact.evaluate(logits, 0, c, ProbeGridConfig.LABEL, null, 0);
        } else {
            double[] t = new double[c];
            for (int j = 0; j < c; j++) {
                t[j] = alpha / c + (j == ProbeGridConfig.LABEL ? 1 - alpha : 0);
            }
            ok = exact.evaluate(logits, 0, c, -1, t, 0);
        }
        return ok ? exact : null;
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
