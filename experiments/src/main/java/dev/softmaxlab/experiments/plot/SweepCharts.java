package dev.softmaxlab.experiments.plot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.chart.Axis;
import dev.softmaxlab.experiments.chart.Chart;
import dev.softmaxlab.experiments.chart.DotChart;
import dev.softmaxlab.experiments.chart.HeatMap;
import dev.softmaxlab.experiments.chart.Numbers;
import dev.softmaxlab.experiments.html.Page;
import dev.softmaxlab.experiments.html.Table;
import dev.softmaxlab.experiments.spec.Check;
import dev.softmaxlab.experiments.spec.ExperimentSpec;
import dev.softmaxlab.experiments.spec.Expectation;
import dev.softmaxlab.experiments.spec.ResultRow;
import dev.softmaxlab.experiments.spec.SpecLoader;
import dev.softmaxlab.experiments.sweep.PathResult;
import dev.softmaxlab.experiments.sweep.RunOutcome;
import dev.softmaxlab.experiments.sweep.SweepSummary;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The charts of a sweep ({@code softmaxlab.sweep/1}): two stability maps (grid point × {@code path@precision},
 * coloured by the first non-finite step and by the final training loss) and one chart per expectation showing every
 * row it checked, its value and its verdict.
 */
public final class SweepCharts {

    private SweepCharts() {
    }

    /** The sweep's grid points as columns and its runs as rows. */
    private record Grid(String columnLabel, List<String> columns, List<String> rows, PathResult[][] cells,
                        String[] failed) {
    }

    public static Page page(PlotInput in) {
        JsonNode doc = in.document();
        Fields f = new Fields(in.source());
        f.array(doc, "runs", "summary");
        List<RunOutcome> outcomes;
        try {
            outcomes = SweepSummary.outcomesOf(doc);
        } catch (RuntimeException e) {
            throw new InvalidInputException(in.source() + ": its runs are not as softmaxlab sweep writes them: "
                    + "give the summary.json of a softmaxlab sweep");
        }
        if (outcomes.isEmpty()) {
            throw new InvalidInputException(in.source() + " lists no runs, so there is nothing to draw: give the "
                    + "directory of a sweep that ran at least one grid point");
        }
        Grid grid = grid(outcomes);
        List<Page.Figure> figures = new ArrayList<>();
        figures.add(new Page.Figure(stabilityByStep(grid), "Where each run first went non-finite, for every "
                + "setting of the grid: dark cells broke early, light ones late, grey ones never (or did not run)."));
        figures.add(new Page.Figure(finalLoss(grid), "The final training loss of each run on its own path: grey "
                + "cells ended with a non-finite loss."));
        JsonNode specDoc = doc.path("spec").path("document");
        List<Expectation> expectations = List.of();
        if (specDoc.isObject()) {
            ExperimentSpec spec = SpecLoader.fromDocument(specDoc, in.source() + " (its spec)");
            expectations = spec.expect();
        }
        List<ResultRow> rows = new ArrayList<>();
        outcomes.forEach(o -> rows.addAll(o.rows()));
        JsonNode verdicts = doc.path("expectations");
        for (Expectation e : expectations) {
            JsonNode v = verdicts.path(e.index());
            figures.add(new Page.Figure(expectationChart(e, v, rows), "Rule " + (e.index() + 1) + ": every row it "
                    + "checked, at its value; a circle passed, a cross broke the rule; dashed lines are the rule's "
                    + "bounds."));
        }
        String name = doc.path("spec").path("name").asText("?");
        return new Page("Sweep: " + name + (doc.path("smoke").asBoolean() ? " (smoke)" : ""), in.source(),
                reading(doc, grid), figures, List.of(expectationTable(doc), runTable(outcomes)),
                doc.path("spec").path("document"), doc.get("provenance"));
    }

    private static Grid grid(List<RunOutcome> outcomes) {
        List<String> columns = new ArrayList<>();
        Map<String, Integer> rowIndex = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>();
        outcomes.get(0).point().fieldNames().forEachRemaining(keys::add);
        for (RunOutcome o : outcomes) {
            columns.add(pointLabel(o.point(), keys.size() == 1));
            for (PathResult p : o.results()) {
                rowIndex.putIfAbsent(p.id(), rowIndex.size());
            }
            if (!o.ok()) {
                for (JsonNode path : o.config().path("paths")) {
                    for (JsonNode q : o.config().path("precision")) {
                        rowIndex.putIfAbsent(path.asText() + "@" + q.asText(), rowIndex.size());
                    }
                }
            }
        }
        PathResult[][] cells = new PathResult[rowIndex.size()][outcomes.size()];
        String[] failed = new String[outcomes.size()];
        for (int k = 0; k < outcomes.size(); k++) {
            RunOutcome o = outcomes.get(k);
            failed[k] = o.ok() ? null : o.error();
            for (PathResult p : o.results()) {
                cells[rowIndex.get(p.id())][k] = p;
            }
        }
        String label = keys.isEmpty() ? "grid point" : String.join(", ", keys);
        return new Grid(label, columns, List.copyOf(rowIndex.keySet()), cells, failed);
    }

    private static String pointLabel(JsonNode point, boolean valueOnly) {
        List<String> parts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = point.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String v = e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString();
            parts.add(valueOnly ? v : e.getKey() + "=" + v);
        }
        return parts.isEmpty() ? "base" : String.join(", ", parts);
    }

    private static HeatMap stabilityByStep(Grid g) {
        int rows = g.rows().size();
        int cols = g.columns().size();
        double[][] values = new double[rows][cols];
        String[][] text = new String[rows][cols];
        double max = 1;
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < cols; k++) {
                PathResult p = g.cells()[r][k];
                values[r][k] = Double.NaN;
                if (p == null) {
                    text[r][k] = g.failed()[k] != null ? "failed" : "not run";
                    continue;
                }
                JsonNode step = p.summary().get("firstNonFiniteStep");
                if (step == null || step.isNull()) {
                    text[r][k] = "never";
                } else {
                    values[r][k] = step.asDouble();
                    text[r][k] = step.asText();
                    max = Math.max(max, step.asDouble());
                }
                max = Math.max(max, p.summary().path("stepsRun").asDouble(1));
            }
        }
        return new HeatMap("stability-first-nonfinite", "Stability map: first non-finite step",
                "rows: runs (path@precision); columns: " + g.columnLabel() + "; the cell is the step where the run "
                        + "first held a NaN or ∞",
                g.columnLabel(), g.columns(), "run (path@precision)", g.rows(), values, text,
                new HeatMap.ColourScale("first non-finite step" + (max >= 100 ? " (log scale)" : ""), 1, max, max >= 100,
                        "never non-finite (or failed / not run: the cell says which)"));
    }

    private static HeatMap finalLoss(Grid g) {
        int rows = g.rows().size();
        int cols = g.columns().size();
        double[][] values = new double[rows][cols];
        String[][] text = new String[rows][cols];
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < cols; k++) {
                PathResult p = g.cells()[r][k];
                values[r][k] = Double.NaN;
                if (p == null) {
                    text[r][k] = g.failed()[k] != null ? "failed" : "not run";
                    continue;
                }
                JsonNode v = p.summary().get("finalTrainLoss");
                double loss = v == null ? Double.NaN : v.isNumber() ? v.doubleValue() : parse(v.asText());
                text[r][k] = Numbers.compact(loss);
                if (Double.isFinite(loss)) {
                    values[r][k] = loss;
                    if (loss > 0) {
                        lo = Math.min(lo, loss);
                        hi = Math.max(hi, loss);
                    }
                }
            }
        }
        if (!(lo < hi)) {
            lo = hi > 0 ? hi / 10 : 1e-3;
            hi = hi > 0 ? hi : 1;
        }
        return new HeatMap("stability-final-loss", "Stability map: final training loss",
                "rows: runs (path@precision); columns: " + g.columnLabel() + "; the cell is the loss on the whole "
                        + "training split with the final weights, on the run's own path",
                g.columnLabel(), g.columns(), "run (path@precision)", g.rows(), values, text,
                new HeatMap.ColourScale("final training loss (nats per example, log scale)", lo, hi, true,
                        "non-finite final loss (or failed / not run: the cell says which)"));
    }

    private static double parse(String s) {
        return switch (s) {
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.NaN;
        };
    }

    private static Chart expectationChart(Expectation e, JsonNode verdict, List<ResultRow> rows) {
        List<DotChart.Dot> dots = new ArrayList<>();
        for (Expectation.CheckedRow c : e.check(rows)) {
            JsonNode v = c.checkedValue();
            double value;
            String text;
            if (v == null || v.isNull()) {
                value = Double.NaN;
                text = e.metric().equals("firstNonFiniteStep") ? "never" : "null";
            } else if (v.isNumber()) {
                value = v.doubleValue();
                text = Numbers.compact(value);
            } else {
                value = v.isTextual() ? parse(v.asText()) : Double.NaN;
                text = v.isTextual() ? v.asText() : v.toString();
                if (!Double.isNaN(value) || !"NaN".equals(text)) {
                    value = Double.isInfinite(value) ? value : Double.NaN;
                }
            }
            ResultRow r = c.row();
            dots.add(new DotChart.Dot(r.path() + "@" + r.precision() + " · " + pointLabel(r.point(), false),
                    r.path(), r.precision(), value, text, c.passed()));
        }
        List<DotChart.Threshold> thresholds = new ArrayList<>();
        for (Check c : e.checks()) {
            if (c.operand().isNumber()) {
                thresholds.add(new DotChart.Threshold(c.operand().doubleValue(), c.describe()));
            }
        }
        String description = e.source().path("description").asText("");
        String status = verdict.path("status").asText("?");
        String title = "Rule " + (e.index() + 1) + ": " + (description.isEmpty() ? e.describe() : description);
        String subtitle = status + " on " + dots.size() + " row" + (dots.size() == 1 ? "" : "s") + ", "
                + dots.stream().filter(d -> !d.passed()).count() + " broke it · " + e.describe();
        String yLabel = (e.vs().isEmpty() ? "" : "Δ ") + e.metric() + (e.vs().isEmpty() ? "" : " vs baseline") + " "
                + unit(e.metric());
        return new DotChart("rule-" + (e.index() + 1), shorten(title, 160), subtitle,
                Axis.linear(yLabel), dots, thresholds);
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** The unit of a summary metric, for the axis label. */
    static String unit(String metric) {
        if (metric.contains("Accuracy")) {
            return "(share of examples, 0–1)";
        }
        if (metric.contains("Loss")) {
            return "(nats)";
        }
        if (metric.equals("firstNonFiniteStep") || metric.equals("stepsRun")) {
            return "(step)";
        }
        return metric.equals("status") ? "" : "(count)";
    }

    private static List<String> reading(JsonNode doc, Grid g) {
        List<String> out = new ArrayList<>();
        JsonNode counts = doc.path("counts");
        out.add(doc.path("spec").path("description").asText(""));
        out.add(counts.path("runs").asInt() + " grid points × " + g.rows().size() + " runs each"
                + (counts.path("failedRuns").asInt() > 0 ? " (" + counts.path("failedRuns").asInt() + " failed)" : "")
                + "; " + counts.path("passedExpectations").asInt() + " of " + counts.path("expectations").asInt()
                + " expectations passed, " + counts.path("failedExpectations").asInt() + " failed, "
                + counts.path("skippedExpectations").asInt() + " skipped.");
        List<String> never = new ArrayList<>();
        List<String> broke = new ArrayList<>();
        for (int r = 0; r < g.rows().size(); r++) {
            String firstBreak = null;
            for (int k = 0; k < g.columns().size(); k++) {
                PathResult p = g.cells()[r][k];
                if (p != null && !p.summary().path("firstNonFiniteStep").isNull()
                        && !p.summary().path("firstNonFiniteStep").isMissingNode()) {
                    firstBreak = g.columns().get(k);
                    break;
                }
            }
            if (firstBreak == null) {
                never.add(g.rows().get(r));
            } else {
                broke.add(g.rows().get(r) + " from " + g.columnLabel() + " " + firstBreak);
            }
        }
        if (!never.isEmpty()) {
            out.add("Never went non-finite anywhere on the grid: " + String.join(", ", never) + ".");
        }
        if (!broke.isEmpty()) {
            out.add("First went non-finite (reading the grid left to right): " + String.join("; ", broke) + ".");
        }
        out.removeIf(String::isEmpty);
        return out;
    }

    private static Table expectationTable(JsonNode doc) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode e : doc.path("expectations")) {
            rows.add(List.of(Integer.toString(e.path("index").asInt() + 1),
                    e.path("expectation").path("description").asText(""), e.path("reads").asText(),
                    e.path("status").asText(), e.path("checked").asText(),
                    Integer.toString(e.path("violations").size())));
        }
        return new Table("Expectations and their verdicts", List.of("rule", "description", "reads", "verdict",
                "rows checked", "rows that broke it"), rows);
    }

    private static Table runTable(List<RunOutcome> outcomes) {
        List<List<String>> rows = new ArrayList<>();
        for (RunOutcome o : outcomes) {
            if (!o.ok()) {
                rows.add(List.of(o.id(), pointLabel(o.point(), false), "(failed)", o.error() == null ? "" : o.error(),
                        "", "", ""));
                continue;
            }
            for (PathResult p : o.results()) {
                JsonNode s = p.summary();
                JsonNode nf = s.get("firstNonFiniteStep");
                rows.add(List.of(o.id(), pointLabel(o.point(), false), p.id(), s.path("status").asText(),
                        nf == null || nf.isNull() ? "never" : nf.asText(), TrainCharts.num(s, "finalTrainLoss"),
                        TrainCharts.pct(s, "finalTestAccuracy")));
            }
        }
        return new Table("Runs: one row per grid point and path@precision", List.of("run id", "setting", "run",
                "status", "first non-finite step", "final train loss", "test accuracy"), rows);
    }
}
