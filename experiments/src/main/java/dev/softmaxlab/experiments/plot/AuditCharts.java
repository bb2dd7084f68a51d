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
import java.util.ArrayList;
import java.util.List;

/**
 * The charts of an audit document ({@code softmaxlab.audit/1}), one row or dot per path@precision: the loss error
 * against the exact reference (median, p99 and max in ulps of the path's precision), the scale headroom (the largest
 * factor on the logits that is still fine, with 1× — the logits as given — marked), and the numeric events. The page
 * carries the input's statistics and the reading the audit generated.
 */
public final class AuditCharts {

    /** The event columns, in the document's order: its field, and how the chart names it. */
    private static final List<String[]> EVENTS = List.of(
            new String[] {"expOverflow", "exp overflow"}, new String[] {"expUnderflow", "exp underflow"},
            new String[] {"subnormal", "subnormal"}, new String[] {"logOfZero", "log(0)"},
            new String[] {"divByZero", "÷ 0"}, new String[] {"infOverInf", "∞ / ∞"},
            new String[] {"zeroTimesInf", "0 · ∞"}, new String[] {"infMinusInf", "∞ − ∞"},
            new String[] {"clipped", "clipped"});

    private AuditCharts() {
    }

    /** One path@precision as the document has it. */
    private record Run(String id, String path, String precision, long rows, double[] ulps, double[] events,
                       long broken, JsonNode firstBroken, JsonNode headroom) {
    }

    public static Page page(PlotInput in) {
        JsonNode doc = in.document();
        Fields f = new Fields(in.source());
        JsonNode paths = f.array(doc, "paths", "audit");
        if (paths.isEmpty()) {
            throw new InvalidInputException(in.source() + " holds no paths, so there is nothing to draw: audit at "
                    + "least one path and precision");
        }
        List<Run> runs = new ArrayList<>();
        int i = 0;
        for (JsonNode p : paths) {
            String w = "paths[" + i++ + "]";
            JsonNode q = f.object(p, "lossErrorUlps", w);
            String wq = w + ".lossErrorUlps";
            JsonNode ev = f.object(p, "events", w);
            String we = w + ".events";
            double[] events = new double[EVENTS.size() + 3];
            for (int k = 0; k < EVENTS.size(); k++) {
                events[k] = f.number(ev, EVENTS.get(k)[0], we);
            }
            events[EVENTS.size()] = TrainCharts.eventTotal(f.object(ev, "loss", we));
            events[EVENTS.size() + 1] = TrainCharts.eventTotal(f.object(ev, "gradient", we));
            long broken = (long) f.number(p, "brokenRows", w);
            events[EVENTS.size() + 2] = broken;
            String path = f.text(p, "path", w);
            String precision = f.text(p, "precision", w);
            JsonNode headroom = p.get("headroom");
            runs.add(new Run(path + "@" + precision, path, precision, (long) f.number(p, "rows", w),
                    new double[] {f.number(q, "median", wq), f.number(q, "p99", wq), f.number(q, "max", wq)},
                    events, broken, p.get("firstBroken"),
                    headroom == null || headroom.isNull() ? null : f.object(p, "headroom", w)));
        }
        List<Page.Figure> figures = new ArrayList<>();
        figures.add(new Page.Figure(lossError(runs), "How far each path's loss is from the exact loss of the same "
                + "logits, in units in the last place of the path's own precision: 0.5 is correctly rounded. Rows a "
                + "path broke on are left out here and counted in the events chart."));
        Chart headroom = headroom(runs, f);
        if (headroom != null) {
            figures.add(new Page.Figure(headroom, "How far these logits could grow before each path breaks: a dot "
                    + "below the 1× line (a cross) means it already breaks on the logits as given."));
        }
        figures.add(new Page.Figure(events(runs), "How often the arithmetic went wrong over all rows, and on how "
                + "many rows the path broke (non-finite loss or gradient, or a loss lost to 0)."));
        List<String> reading = new ArrayList<>();
        for (JsonNode r : f.array(doc, "reading", "audit")) {
            reading.add(r.asText());
        }
        if (headroom == null) {
            reading.add("No rows were sampled for headroom (--headroom-rows 0), so there is no headroom chart.");
        }
        return new Page("Audit: loss error, headroom and events per path and precision", in.source(), reading,
                figures, List.of(inputTable(doc, f), runTable(runs)), doc.get("config"), doc.get("provenance"));
    }

    private static Chart lossError(List<Run> runs) {
        List<String> columns = List.of("median", "p99", "max");
        double[][] values = new double[runs.size()][3];
        String[][] text = new String[runs.size()][3];
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (int r = 0; r < runs.size(); r++) {
            for (int c = 0; c < 3; c++) {
                double v = runs.get(r).ulps()[c];
                values[r][c] = v;
                text[r][c] = Double.isNaN(v) ? "no reference" : Numbers.compact(v);
                if (Double.isFinite(v) && v > 0) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!(lo < hi)) {
            lo = hi > 0 ? hi / 10 : 0.1;
            hi = hi > 0 ? hi : 1;
        }
        return new HeatMap("audit-loss-error", "Loss error against the exact reference, in ulps",
                "|loss − exact loss of the same logits| in units in the last place of the path's precision, over "
                        + "the rows with a reference that the path did not break on",
                "quantile over rows", columns, "run (path@precision)", runs.stream().map(Run::id).toList(), values,
                text, new HeatMap.ColourScale("loss error (ulps, log scale)", lo, hi, true,
                        "no row with a reference"));
    }

    /** The scale headroom as dots on a log axis with 1× marked, or null when no row was sampled. */
    private static Chart headroom(List<Run> runs, Fields f) {
        List<DotChart.Dot> dots = new ArrayList<>();
        double bound = Double.NaN;
        for (Run r : runs) {
            if (r.headroom() == null) {
                continue;
            }
            String w = r.id() + ".headroom.scale";
            JsonNode scale = f.object(r.headroom(), "scale", r.id() + ".headroom");
            bound = f.number(scale, "bound", w);
            for (String[] which : new String[][] {{"min", "worst sampled row"}, {"median", "median row"}}) {
                double v = f.number(scale, which[0], w);
                String text = v == 0 ? "breaks at every scale tried"
                        : (v >= bound ? "≥ ×" : "×") + Numbers.compact(v);
                dots.add(new DotChart.Dot(r.id() + " · " + which[1], r.path(), r.precision(), v, text, v >= 1));
            }
        }
        if (dots.isEmpty()) {
            return null;
        }
        long below = dots.stream().filter(d -> !d.passed()).count();
        long never = dots.stream().filter(d -> d.value() == 0).count();
        return new DotChart("audit-headroom", "Headroom: the largest scale factor on these logits that is still fine",
                "per run, the worst and the median sampled row; the rule is \"fine at 1×\" (the logits as given), "
                        + "and a cross breaks it: " + below + " of " + dots.size() + " · dots at ×"
                        + Numbers.compact(bound) + " reached the search's bound (at least that)"
                        + (never > 0 ? " · dots at the top are never fine" : ""),
                Axis.log("largest safe scale factor (× the logits, log scale)"), dots,
                List.of(new DotChart.Threshold(1, "1× = the logits as given")));
    }

    private static Chart events(List<Run> runs) {
        List<String> columns = new ArrayList<>();
        EVENTS.forEach(e -> columns.add(e[1]));
        columns.add("NaN/∞ loss");
        columns.add("NaN/∞ gradient");
        columns.add("broken rows");
        double[][] values = new double[runs.size()][];
        String[][] text = new String[runs.size()][columns.size()];
        double max = 0;
        for (int r = 0; r < runs.size(); r++) {
            values[r] = runs.get(r).events().clone();
            for (int c = 0; c < columns.size(); c++) {
                text[r][c] = Numbers.compact(values[r][c]);
                max = Math.max(max, values[r][c]);
            }
        }
        return new HeatMap("audit-events", "Numeric events and broken rows per path and precision",
                "operation events and non-finite values summed over all rows, and the rows the path broke on",
                "event", columns, "run (path@precision)", runs.stream().map(Run::id).toList(), values, text,
                new HeatMap.ColourScale("count (over all rows)", 0, Math.max(1, max), false, "no value"));
    }

    private static Table inputTable(JsonNode doc, Fields f) {
        JsonNode in = f.object(doc, "input", "audit");
        List<List<String>> rows = new ArrayList<>();
        JsonNode file = doc.path("source").path("file");
        if (!file.isMissingNode()) {
            rows.add(List.of("file", file.path("name").asText("?") + " (" + doc.path("source").path("format")
                    .asText("?") + ")"));
        }
        rows.add(List.of("rows × classes", Numbers.compact(f.number(in, "rows", "input")) + " × "
                + Numbers.compact(f.number(in, "classes", "input"))));
        rows.add(List.of("dtype", f.text(in, "dtype", "input")));
        rows.add(List.of("ignored rows", Numbers.compact(f.number(in, "ignoredRows", "input"))));
        rows.add(List.of("rows with NaN/∞ logits", Numbers.compact(f.number(in, "rowsWithNonFinite", "input"))));
        rows.add(List.of("NaN/∞ logits", Numbers.compact(f.number(in, "nonFiniteLogits", "input"))));
        rows.add(List.of("finite logit range", Numbers.compact(f.number(in, "logitMin", "input")) + " to "
                + Numbers.compact(f.number(in, "logitMax", "input"))));
        JsonNode spread = f.object(in, "spread", "input");
        rows.add(List.of("row spread (max − min logit): median / max",
                Numbers.compact(f.number(spread, "median", "input.spread")) + " / "
                        + Numbers.compact(f.number(spread, "max", "input.spread"))));
        JsonNode entropy = f.object(in, "entropy", "input");
        rows.add(List.of("softmax entropy (nats): mean / median",
                Numbers.compact(f.number(entropy, "mean", "input.entropy")) + " / "
                        + Numbers.compact(f.number(entropy, "median", "input.entropy"))));
        rows.add(List.of("confident rows (p_label > 0.99)", Numbers.compact(f.number(in, "confidentRows", "input"))));
        return new Table("Input statistics", List.of("quantity", "value"), rows);
    }

    private static Table runTable(List<Run> runs) {
        List<List<String>> out = new ArrayList<>();
        for (Run r : runs) {
            JsonNode first = r.firstBroken();
            String firstText = first == null || first.isNull() ? "—" : "row " + first.path("row").asText()
                    + (first.path("op").isTextual() ? " (" + first.path("op").asText() + ")" : " (loss lost to 0)");
            String scale = "—";
            if (r.headroom() != null) {
                JsonNode range = r.headroom().path("scale");
                double min = range.path("min").asDouble(Double.NaN);
                scale = (min >= range.path("bound").asDouble(Double.NaN) ? "≥ ×" : "×") + Numbers.compact(min);
            }
            out.add(List.of(r.id(), Long.toString(r.rows()), Numbers.compact(r.ulps()[0]),
                    Numbers.compact(r.ulps()[1]), Numbers.compact(r.ulps()[2]), Long.toString(r.broken()), firstText,
                    scale));
        }
        return new Table("Per path and precision", List.of("run", "rows", "loss error median (ulps)",
                "p99 (ulps)", "max (ulps)", "broken rows", "first broken row", "scale headroom (worst row)"), out);
    }
}
