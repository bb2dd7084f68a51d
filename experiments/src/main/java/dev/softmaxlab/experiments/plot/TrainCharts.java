package dev.softmaxlab.experiments.plot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.chart.Axis;
import dev.softmaxlab.experiments.chart.Chart;
import dev.softmaxlab.experiments.chart.LineChart;
import dev.softmaxlab.experiments.chart.Numbers;
import dev.softmaxlab.experiments.chart.Series;
import dev.softmaxlab.experiments.html.Page;
import dev.softmaxlab.experiments.html.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The charts of a train report ({@code softmaxlab.report/1}): one line per run ({@code path@precision}) of the
 * training loss, the logit gradient's L2 norm, the numeric events (cumulative), the test accuracy and the loss error
 * against the fp64 fused reference, each with the step where a run first went non-finite marked.
 */
public final class TrainCharts {

    private static final String STEP = "step (optimizer updates)";
    private static final String MARK = "first non-finite at step";

    /** One logged step, as the charts read it. */
    private record Step(double step, double loss, double gradNorm, double events, double lossRel) {
    }

    /** One run, as the charts read it. */
    private record Run(String id, String path, String precision, List<Step> steps, double[] evalStep,
                       double[] testAccuracy, JsonNode summary, double firstNonFinite, String firstOp) {
    }

    private TrainCharts() {
    }

    /** The page of the report {@code in}. */
    public static Page page(PlotInput in) {
        Fields f = new Fields(in.source());
        List<Run> runs = runs(in.document(), f);
        List<Chart> charts = charts(runs);
        List<Page.Figure> figures = new ArrayList<>();
        String[] captions = {
            "The loss each run's own path computed on its training batch. A line ends (×) where the loss stops "
                    + "being finite; a vertical line marks the step a run first went non-finite.",
            "How large the gradient reaching the logits is. NaN or ∞ here means the update that follows is poisoned.",
            "Numeric events (overflow, underflow, log 0, 0·∞, clipping, non-finite values) counted on the logged steps, "
                    + "added up: how often the arithmetic went wrong as training proceeded.",
            "Test accuracy, measured with the same fp64 fused yardstick for every run: what the model that each path "
                    + "trained can do.",
            "How far each path's loss is from the fp64 fused loss on the same logits rounded to the run's "
                    + "precision: the error of the loss computation alone."};
        for (int i = 0; i < charts.size(); i++) {
            figures.add(new Page.Figure(charts.get(i), captions[i]));
        }
        JsonNode config = in.document().get("config");
        return new Page("Training report: " + describe(config), in.source(), reading(runs, config), figures,
                List.of(table(runs)), config, in.document().get("provenance"));
    }

    /** The five charts, in page order. */
    public static List<Chart> charts(PlotInput in) {
        return charts(runs(in.document(), new Fields(in.source())));
    }

    private static List<Chart> charts(List<Run> runs) {
        List<Double> nf = runs.stream().map(Run::firstNonFinite).toList();
        List<Series> loss = new ArrayList<>();
        List<Series> grad = new ArrayList<>();
        List<Series> events = new ArrayList<>();
        List<Series> acc = new ArrayList<>();
        List<Series> err = new ArrayList<>();
        for (Run r : runs) {
            loss.add(RunLines.series(r.id(), r.path(), r.precision(), r.steps(), Step::step, Step::loss));
            grad.add(RunLines.series(r.id(), r.path(), r.precision(), r.steps(), Step::step, Step::gradNorm));
            events.add(RunLines.series(r.id(), r.path(), r.precision(), r.steps(), Step::step, Step::events));
            double[] pct = new double[r.testAccuracy().length];
            for (int i = 0; i < pct.length; i++) {
                pct[i] = 100 * r.testAccuracy()[i];
            }
            acc.add(new Series(r.id(), r.path(), r.precision(), r.evalStep(), pct));
            err.add(RunLines.series(r.id(), r.path(), r.precision(), r.steps(), Step::step, Step::lossRel));
        }
        Axis x = Axis.linear(STEP);
        List<Chart> charts = new ArrayList<>();
        charts.add(new LineChart("train-loss", "Training loss by step",
                "each run's own loss path on its batch; × = the line ends there because the next value is not finite",
                x, RunLines.axisFor("training loss (nats per example)", loss), loss,
                RunLines.marks(loss, nf, MARK), List.of()));
        charts.add(new LineChart("logit-gradient-norm", "L2 norm of the gradient at the logits",
                "‖∂loss/∂logits‖₂ over the batch; vertical lines: the step each run first went non-finite",
                x, Axis.log("‖∂loss/∂logits‖₂ (per batch, log scale)"), grad, RunLines.marks(grad, nf, MARK),
                List.of()));
        charts.add(new LineChart("numeric-events", "Numeric events, cumulative",
                "operation events and non-finite values on the logged steps, summed from step 1",
                x, RunLines.axisFor("events on logged steps, cumulative (count)", events), events,
                RunLines.marks(events, nf, MARK), List.of()));
        charts.add(new LineChart("test-accuracy", "Test accuracy",
                "the share of the test split classified right, fp64 fused yardstick for every run",
                x, Axis.linear("test accuracy (%)"), acc, RunLines.marks(acc, nf, MARK), List.of()));
        charts.add(new LineChart("loss-error", "Loss error against the fp64 fused reference",
                "|loss − reference| / |reference| on each logged batch, the reference on the same logits rounded to the "
                        + "run's precision",
                x, Axis.log("relative loss error (|Δ| / |reference|, log scale)"), err,
                RunLines.marks(err, nf, MARK), List.of()));
        return charts;
    }

    private static List<Run> runs(JsonNode doc, Fields f) {
        JsonNode runs = f.array(doc, "runs", "report");
        if (runs.isEmpty()) {
            throw new InvalidInputException(f.source() + " has no runs, so there is nothing to draw: give a report "
                    + "of a train run with at least one path and precision");
        }
        List<Run> out = new ArrayList<>();
        int i = 0;
        for (JsonNode r : runs) {
            String where = "runs[" + i++ + "]";
            String id = f.text(r, "id", where);
            JsonNode steps = f.array(r, "steps", where);
            if (steps.isEmpty()) {
                throw new InvalidInputException(f.source() + ": run " + id + " has no logged steps, so there is "
                        + "nothing to draw: train it again with at least one step (steps ≥ 1)");
            }
            List<Step> s = new ArrayList<>();
            double cumulative = 0;
            int k = 0;
            String firstOp = null;
            for (JsonNode st : steps) {
                JsonNode where1 = st.get("firstNonFinite");
                if (firstOp == null && where1 != null && where1.isObject()) {
                    firstOp = where1.path("op").asText(null);
                }
                String w = where + ".steps[" + k++ + "]";
                cumulative += eventTotal(f.object(st, "events", w));
                JsonNode error = f.object(st, "error", w);
                s.add(new Step(f.number(st, "step", w), f.number(st, "loss", w),
                        f.number(st, "logitGradientNorm", w), cumulative, f.number(error, "lossRel", w + ".error")));
            }
            JsonNode evals = f.array(r, "evals", where);
            double[] evalStep = new double[evals.size()];
            double[] accuracy = new double[evals.size()];
            k = 0;
            for (JsonNode e : evals) {
                String w = where + ".evals[" + k + "]";
                evalStep[k] = f.number(e, "step", w);
                accuracy[k++] = f.number(e, "testAccuracy", w);
            }
            JsonNode summary = f.object(r, "summary", where);
            out.add(new Run(id, f.text(r, "path", where), f.text(r, "precision", where), s, evalStep, accuracy,
                    summary, f.numberOrNaN(summary, "firstNonFiniteStep", where + ".summary"), firstOp));
        }
        return out;
    }

    /** Every count of an events object: the operation events and the non-finite values of loss and gradient. */
    static double eventTotal(JsonNode events) {
        double total = 0;
        for (var e : (Iterable<java.util.Map.Entry<String, JsonNode>>) events::fields) {
            JsonNode v = e.getValue();
            if (v.isNumber()) {
                total += v.doubleValue();
            } else if (v.isObject()) {
                total += eventTotal(v);
            }
        }
        return total;
    }

    private static String describe(JsonNode config) {
        if (config == null || !config.isObject()) {
            return "(no config)";
        }
        return config.path("dataset").asText("?") + " · " + config.path("model").asText("?") + " · logit scale "
                + Numbers.compact(config.path("logitScale").asDouble(Double.NaN)) + " · "
                + config.path("optimizer").asText("?") + " lr " + Numbers.compact(config.path("lr").asDouble(Double.NaN))
                + " · seed " + config.path("seed").asText("?");
    }

    private static List<String> reading(List<Run> runs, JsonNode config) {
        List<String> out = new ArrayList<>();
        List<String> finite = new ArrayList<>();
        List<String> broke = new ArrayList<>();
        for (Run r : runs) {
            double acc = r.summary().path("finalTestAccuracy").asDouble(Double.NaN);
            String accText = String.format(Locale.ROOT, "%.1f%%", 100 * acc);
            if (Double.isNaN(r.firstNonFinite())) {
                finite.add(r.id() + " (" + accText + " test accuracy)");
            } else {
                String op = r.firstOp();
                broke.add(r.id() + " at step " + (long) r.firstNonFinite() + (op == null ? "" : " (in " + op + ")")
                        + ", ending at " + accText + " test accuracy");
            }
        }
        int steps = runs.stream().mapToInt(r -> r.summary().path("stepsRun").asInt()).max().orElse(0);
        if (!finite.isEmpty()) {
            out.add("Stayed finite through all " + steps + " steps: " + String.join(", ", finite) + ".");
        }
        if (!broke.isEmpty()) {
            out.add("Went non-finite (marked by a vertical line on every chart, lines end with ×): "
                    + String.join("; ", broke) + ".");
        }
        Run best = null;
        for (Run r : runs) {
            double a = r.summary().path("finalTestAccuracy").asDouble(Double.NaN);
            if (best == null || a > best.summary().path("finalTestAccuracy").asDouble(Double.NaN)) {
                best = r;
            }
        }
        if (best != null) {
            out.add("Best final test accuracy: " + best.id() + String.format(Locale.ROOT, " (%.1f%%).",
                    100 * best.summary().path("finalTestAccuracy").asDouble()));
        }
        String worst = null;
        double worstErr = -1;
        double worstStep = 0;
        for (Run r : runs) {
            for (Step s : r.steps()) {
                if (Double.isFinite(s.lossRel()) && s.lossRel() > worstErr) {
                    worstErr = s.lossRel();
                    worst = r.id();
                    worstStep = s.step();
                }
            }
        }
        if (worst != null) {
            out.add("Largest finite relative loss error against the reference: " + worst + ", "
                    + Numbers.compact(worstErr) + " at step " + (long) worstStep + ".");
        }
        return out;
    }

    private static Table table(List<Run> runs) {
        List<List<String>> rows = new ArrayList<>();
        for (Run r : runs) {
            JsonNode s = r.summary();
            rows.add(List.of(r.id(), s.path("status").asText(), s.path("stepsRun").asText(),
                    Double.isNaN(r.firstNonFinite()) ? "never" : Long.toString((long) r.firstNonFinite()),
                    num(s, "finalTrainLoss"), pct(s, "finalTrainAccuracy"), num(s, "finalTestLoss"),
                    pct(s, "finalTestAccuracy"), s.path("totalNonFinite").asText(), s.path("skippedSteps").asText()));
        }
        return new Table("Runs: the end state of each path at each precision",
                List.of("run", "status", "steps", "first non-finite step", "final train loss", "train accuracy",
                        "final test loss", "test accuracy", "non-finite values", "skipped updates"), rows);
    }

    static String num(JsonNode parent, String field) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return "—";
        }
        return v.isTextual() ? v.asText() : Numbers.compact(v.doubleValue());
    }

    static String pct(JsonNode parent, String field) {
        JsonNode v = parent.get(field);
        return v != null && v.isNumber() ? String.format(Locale.ROOT, "%.1f%%", 100 * v.doubleValue()) : num(parent, field);
    }
}
