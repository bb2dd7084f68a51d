package dev.softmaxlab.experiments.plot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.chart.Axis;
import dev.softmaxlab.experiments.chart.Chart;
import dev.softmaxlab.experiments.chart.HeatMap;
import dev.softmaxlab.experiments.chart.LineChart;
import dev.softmaxlab.experiments.chart.Numbers;
import dev.softmaxlab.experiments.chart.Series;
import dev.softmaxlab.experiments.html.Page;
import dev.softmaxlab.experiments.html.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The charts of a probe document ({@code softmaxlab.probe/1}). A scale sweep ({@code probe --scale-sweep}) gives the
 * break-point chart: each path's loss error against the reference versus the scale, with the scale where it breaks
 * marked, and its loss and events versus the scale. Other probes give the loss and the events of every path and
 * precision, case by case: as labelled cells for a few cases, as lines over the case index for many.
 */
public final class ProbeCharts {

    /** A path breaks where its loss is not finite or is off the reference by more than this share. */
    public static final double BREAK_REL_ERROR = 0.01;

    /** Up to this many cases, cells with the numbers written in read better than lines. */
    private static final int MAX_CELL_CASES = 16;

    private ProbeCharts() {
    }

    /** One path@precision across the cases. */
    private static final class Row {
        final String id;
        final String path;
        final String precision;
        final List<double[]> values = new ArrayList<>(); // {caseX, loss, events, lossRel}
        final List<String> firstOps = new ArrayList<>();

        Row(String id, String path, String precision) {
            this.id = id;
            this.path = path;
            this.precision = precision;
        }

        double[] column(int k) {
            double[] c = new double[values.size()];
            for (int i = 0; i < c.length; i++) {
                c[i] = values.get(i)[k];
            }
            return c;
        }
    }

    public static Page page(PlotInput in) {
        JsonNode doc = in.document();
        Fields f = new Fields(in.source());
        JsonNode cases = f.array(doc, "cases", "probe");
        if (cases.isEmpty()) {
            throw new InvalidInputException(in.source() + " holds no cases, so there is nothing to draw: probe at "
                    + "least one row of logits");
        }
        boolean sweep = doc.path("config").has("scaleSweep");
        Map<String, Row> rows = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode c : cases) {
            String where = "cases[" + i + "]";
            double x = sweep ? f.number(c, "scale", where) : f.number(c, "case", where);
            int k = 0;
            for (JsonNode r : f.array(c, "results", where)) {
                String w = where + ".results[" + k++ + "]";
                String path = f.text(r, "path", w);
                String precision = f.text(r, "precision", w);
                Row row = rows.computeIfAbsent(path + "@" + precision, id -> new Row(id, path, precision));
                double rel = sweep ? f.number(f.object(r, "error", w), "lossRel", w + ".error") : Double.NaN;
                row.values.add(new double[] {x, f.number(r, "loss", w),
                        TrainCharts.eventTotal(f.object(r, "events", w)), rel});
                JsonNode first = r.get("firstNonFinite");
                row.firstOps.add(first != null && first.isObject() ? first.path("op").asText("") : null);
            }
            i++;
        }
        List<Row> list = List.copyOf(rows.values());
        List<Page.Figure> figures = new ArrayList<>();
        List<String> reading = new ArrayList<>();
        if (sweep) {
            scaleSweep(doc.path("config").path("scaleSweep"), list, figures, reading);
        } else if (cases.size() <= MAX_CELL_CASES) {
            cells(list, cases.size(), figures, reading);
        } else {
            lines(list, figures, reading);
        }
        return new Page(sweep ? "Probe scale sweep: where each path breaks" : "Probe: loss and events per path and "
                + "precision", in.source(), reading, figures, List.of(table(list, sweep)), doc.get("config"),
                doc.get("provenance"));
    }

    private static void scaleSweep(JsonNode cfg, List<Row> rows, List<Page.Figure> figures, List<String> reading) {
        Axis x = Axis.log("logit scale (factor on the row, log scale)");
        List<Series> err = new ArrayList<>();
        List<Series> loss = new ArrayList<>();
        List<Series> events = new ArrayList<>();
        List<Double> breaks = new ArrayList<>();
        List<String> broke = new ArrayList<>();
        List<String> held = new ArrayList<>();
        for (Row r : rows) {
            double[] xs = r.column(0);
            double[] rel = r.column(3);
            err.add(new Series(r.id, r.path, r.precision, xs, rel));
            loss.add(new Series(r.id, r.path, r.precision, xs, r.column(1)));
            events.add(new Series(r.id, r.path, r.precision, xs, r.column(2)));
            double at = Double.NaN;
            String why = null;
            for (int i = 0; i < xs.length; i++) {
                double l = r.values.get(i)[1];
                if (!Double.isFinite(l)) {
                    at = xs[i];
                    why = "its loss is " + Numbers.compact(l)
                            + (r.firstOps.get(i) == null || r.firstOps.get(i).isEmpty() ? "" : " (first in "
                            + r.firstOps.get(i) + ")");
                    break;
                }
                if (!(rel[i] <= BREAK_REL_ERROR)) {
                    at = xs[i];
                    why = "its loss is off by " + Numbers.compact(100 * rel[i]) + "%";
                    break;
                }
            }
            breaks.add(at);
            if (Double.isNaN(at)) {
                held.add(r.id);
            } else {
                broke.add(r.id + " at ×" + Numbers.compact(at) + ": " + why);
            }
        }
        String range = "×" + Numbers.compact(cfg.path("from").asDouble()) + " to ×"
                + Numbers.compact(cfg.path("to").asDouble()) + " in " + cfg.path("count").asInt() + " steps";
        List<Chart> charts = List.of(
                new LineChart("break-point", "Break point: loss error against the reference by logit scale",
                        "|loss − fp64 fused on the same rounded logits| / |reference|; a vertical line marks where "
                                + "each run breaks (non-finite, or off by more than " + (int) (100 * BREAK_REL_ERROR)
                                + "%)",
                        x, Axis.log("relative loss error (|Δ| / |reference|, log scale)"), err,
                        RunLines.marks(err, breaks, "breaks at scale"), List.of()),
                new LineChart("loss-by-scale", "Loss by logit scale", "the loss each path computes for the scaled row",
                        x, RunLines.axisFor("loss (nats)", loss), loss, RunLines.marks(loss, breaks, "breaks at"),
                        List.of()),
                new LineChart("events-by-scale", "Numeric events by logit scale",
                        "operation events and non-finite values in one evaluation of the scaled row",
                        x, RunLines.axisFor("events (count per evaluation)", events), events,
                        RunLines.marks(events, breaks, "breaks at"), List.of()));
        figures.add(new Page.Figure(charts.get(0), "Where each path stops giving the right loss as the logits grow. "
                + "A line ends (×) where the loss turns NaN or ∞; values of exactly 0 (no error) cannot sit on the "
                + "log axis and leave gaps, which the chart's notes count."));
        figures.add(new Page.Figure(charts.get(1), "The loss itself: the true loss grows with the scale for a wrong "
                + "label, and a path that breaks leaves the others."));
        figures.add(new Page.Figure(charts.get(2), "How many numeric events one evaluation of the row raised."));
        reading.add("The row was scaled " + range + ". A path breaks at the first scale where its loss is not finite "
                + "or is off the fp64 fused reference by more than " + (int) (100 * BREAK_REL_ERROR) + "%.");
        if (!broke.isEmpty()) {
            reading.add("Broke: " + String.join("; ", broke) + ".");
        }
        if (!held.isEmpty()) {
            reading.add("Held over the whole range: " + String.join(", ", held) + ".");
        }
    }

    private static void cells(List<Row> rows, int caseCount, List<Page.Figure> figures, List<String> reading) {
        List<String> columns = new ArrayList<>();
        for (int c = 0; c < caseCount; c++) {
            columns.add("case " + c);
        }
        List<String> ids = rows.stream().map(r -> r.id).toList();
        double[][] loss = new double[rows.size()][caseCount];
        String[][] lossText = new String[rows.size()][caseCount];
        double[][] events = new double[rows.size()][caseCount];
        String[][] eventsText = new String[rows.size()][caseCount];
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        double maxEvents = 0;
        List<String> nonFinite = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            for (int c = 0; c < caseCount; c++) {
                double[] v = c < row.values.size() ? row.values.get(c) : new double[] {c, Double.NaN, Double.NaN, 0};
                double l = v[1];
                loss[r][c] = Double.isFinite(l) ? l : Double.NaN;
                lossText[r][c] = Numbers.compact(l);
                if (Double.isFinite(l) && l > 0) {
                    lo = Math.min(lo, l);
                    hi = Math.max(hi, l);
                }
                if (!Double.isFinite(l)) {
                    nonFinite.add(row.id + (caseCount > 1 ? " (case " + c + ")" : "") + " gives " + lossText[r][c]);
                }
                events[r][c] = v[2];
                String op = c < row.firstOps.size() ? row.firstOps.get(c) : null;
                eventsText[r][c] = Numbers.compact(v[2]) + (op == null || op.isEmpty() ? "" : " (" + op + ")");
                maxEvents = Math.max(maxEvents, v[2]);
            }
        }
        if (!(lo < hi)) {
            lo = hi > 0 ? hi / 10 : 1e-3;
            hi = hi > 0 ? hi : 1;
        }
        boolean logLoss = hi / lo >= 100;
        figures.add(new Page.Figure(new HeatMap("probe-loss", "Loss per path and precision",
                "each cell is the loss the path computed for the case; grey cells are NaN or ∞",
                "case", columns, "run (path@precision)", ids, loss, lossText,
                new HeatMap.ColourScale("loss (nats" + (logLoss ? ", log scale)" : ")"), lo, hi, logLoss,
                        "non-finite loss (NaN or ∞)")),
                "The loss of every path at every precision: on a safe row they agree; where they differ, the cell "
                        + "says by how much."));
        figures.add(new Page.Figure(new HeatMap("probe-events", "Numeric events per path and precision",
                "operation events and non-finite values in one evaluation; (op) = the first operation that turned "
                        + "finite operands non-finite",
                "case", columns, "run (path@precision)", ids, events, eventsText,
                new HeatMap.ColourScale("events (count)", 0, Math.max(1, maxEvents), false, "no value")),
                "How often the arithmetic went wrong in each evaluation, and where it first did."));
        reading.add(nonFinite.isEmpty() ? "Every path gives a finite loss at every precision."
                : "Non-finite losses: " + String.join("; ", nonFinite) + ".");
    }

    private static void lines(List<Row> rows, List<Page.Figure> figures, List<String> reading) {
        Axis x = Axis.linear("case (index in the input)");
        List<Series> loss = new ArrayList<>();
        List<Series> events = new ArrayList<>();
        for (Row r : rows) {
            loss.add(new Series(r.id, r.path, r.precision, r.column(0), r.column(1)));
            events.add(new Series(r.id, r.path, r.precision, r.column(0), r.column(2)));
        }
        figures.add(new Page.Figure(new LineChart("probe-loss", "Loss per case", "the loss each path computes for "
                + "each input row", x, RunLines.axisFor("loss (nats)", loss), loss, List.of(), List.of()),
                "The loss of every path at every precision, case by case; a line ends (×) where the loss is not "
                        + "finite."));
        figures.add(new Page.Figure(new LineChart("probe-events", "Numeric events per case", "operation events and "
                + "non-finite values in one evaluation", x, RunLines.axisFor("events (count per evaluation)", events),
                events, List.of(), List.of()), "How often the arithmetic went wrong, case by case."));
        reading.add(rows.get(0).values.size() + " cases through " + rows.size() + " path@precision runs.");
    }

    private static Table table(List<Row> rows, boolean sweep) {
        List<List<String>> out = new ArrayList<>();
        for (Row r : rows) {
            for (int i = 0; i < r.values.size(); i++) {
                double[] v = r.values.get(i);
                String op = r.firstOps.get(i);
                out.add(List.of(r.id, Numbers.compact(v[0]), Numbers.compact(v[1]),
                        sweep ? Numbers.compact(v[3]) : "—", Numbers.compact(v[2]), op == null ? "—" : op));
            }
        }
        return new Table("Every evaluation", List.of("run", sweep ? "scale" : "case", "loss",
                "relative loss error", "events", "first non-finite op"), out);
    }
}
