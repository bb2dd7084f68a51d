package dev.softmaxlab.experiments.sweep;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.core.loss.LossInput;
import dev.softmaxlab.core.loss.LossPath;
import dev.softmaxlab.core.loss.LossPaths;
import dev.softmaxlab.core.loss.LossResult;
import dev.softmaxlab.core.numeric.ErrorMetrics;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import dev.softmaxlab.experiments.config.ProbeGridConfig;
import dev.softmaxlab.experiments.report.EventCounts;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.report.ProbeRowSummary;
import dev.softmaxlab.experiments.report.TrainingRun;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates a probe-grid row ({@link ProbeGridConfig}) through every path × precision, against the reference:
 * {@code fused} in fp64 with the same loss options. Pure and deterministic: the same config gives the same bits.
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
        LossResult reference = new LossResult();
        LossPaths.byId("fused").evaluate(input, config.head().loss(), PrecisionSpec.of(Precision.FP64), reference);
        double refLoss = reference.rowLosses()[0];
        double[] refGradient = reference.gradient().clone();
        LossResult out = new LossResult();
        List<ProbeRowSummary> summaries = new ArrayList<>();
        for (LossPath path : config.paths()) {
            for (PrecisionSpec spec : config.precisionSpecs()) {
                path.evaluate(input, config.head().loss(), spec, out);
                double loss = out.rowLosses()[0];
                double[] g = out.gradient();
                int label = ProbeGridConfig.LABEL;
                EventCounts events = EventCounts.of(out.events());
                summaries.add(new ProbeRowSummary(loss, ErrorMetrics.ulpError(loss, refLoss, spec.compute()),
                        g[label], ErrorMetrics.ulpError(g[label], refGradient[label], spec.compute()),
                        maxAbs(g, c), ErrorMetrics.maxAbsError(g, refGradient, 0, c), events.totalNonFinite(),
                        events));
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
