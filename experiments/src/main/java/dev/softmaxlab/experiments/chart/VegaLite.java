package dev.softmaxlab.experiments.chart;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@link Chart} as a Vega-Lite v5 spec with its data inline, for readers who restyle charts in that ecosystem. The
 * colours, dashes and markers are {@link Palette}'s, as in the SVG. A line is split into segments at its non-finite
 * values (field {@code segment}), so Vega-Lite never joins across a gap; each end is a cross in its own layer.
 */
public final class VegaLite {

    private static final String SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private VegaLite() {
    }

    public static ObjectNode spec(Chart c) {
        ObjectNode s = F.objectNode();
        s.put("$schema", SCHEMA);
        ObjectNode title = s.putObject("title");
        title.put("text", c.title());
        if (!c.subtitle().isEmpty()) {
            title.put("subtitle", c.subtitle());
        }
        if (c instanceof LineChart l) {
            line(s, l);
        } else if (c instanceof HeatMap h) {
            heat(s, h);
        } else {
            dots(s, (DotChart) c);
        }
        return s;
    }

    private static void line(ObjectNode s, LineChart c) {
        s.put("width", 900);
        s.put("height", 420);
        ArrayNode values = F.arrayNode();
        ArrayNode ends = F.arrayNode();
        for (Series series : c.series()) {
            Trace t = Trace.of(series, c.y().log());
            double[] y = t.y();
            int segment = 0;
            boolean open = false;
            for (int i = 0; i < series.size(); i++) {
                if (Double.isNaN(y[i])) {
                    if (open) {
                        segment++;
                    }
                    open = false;
                    continue;
                }
                open = true;
                ObjectNode v = values.addObject();
                v.put("run", series.key());
                v.put("path", series.path());
                v.put("precision", series.precision());
                v.put("segment", series.key() + "#" + segment);
                v.put("x", series.x()[i]);
                v.put("y", y[i]);
            }
            for (Trace.End e : t.ends()) {
                ObjectNode v = ends.addObject();
                v.put("run", series.key());
                v.put("path", series.path());
                v.put("x", e.x());
                v.put("y", e.y());
                v.put("next", e.what());
            }
        }
        ArrayNode layers = s.putArray("layer");
        ObjectNode lines = layers.addObject();
        lines.putObject("data").set("values", values);
        lines.putObject("mark").put("type", "line").put("strokeWidth", 2);
        ObjectNode enc = lines.putObject("encoding");
        enc.set("x", quantitative("x", c.x()));
        enc.set("y", quantitative("y", c.y()));
        enc.set("color", pathColour(c.series().stream().map(Series::path).toList()));
        enc.set("strokeDash", precisionDash(c.series().stream().map(Series::precision).toList()));
        enc.putObject("detail").put("field", "segment").put("type", "nominal");
        if (!ends.isEmpty()) {
            ObjectNode endLayer = layers.addObject();
            endLayer.putObject("data").set("values", ends);
            endLayer.putObject("mark").put("type", "point").put("shape", "cross").put("size", 90).put("filled", true);
            ObjectNode e = endLayer.putObject("encoding");
            e.set("x", quantitative("x", c.x()));
            e.set("y", quantitative("y", c.y()));
            e.set("color", pathColour(c.series().stream().map(Series::path).toList()));
            e.putArray("tooltip").add(F.objectNode().put("field", "run")).add(F.objectNode().put("field", "next"));
        }
        if (!c.marks().isEmpty()) {
            ArrayNode marks = F.arrayNode();
            for (LineChart.Mark m : c.marks()) {
                Series series = c.series().stream().filter(x -> x.key().equals(m.seriesKey())).findFirst()
                        .orElseThrow();
                marks.addObject().put("run", m.seriesKey()).put("path", series.path())
                        .put("precision", series.precision()).put("x", m.x()).put("label", m.label());
            }
            ObjectNode rules = layers.addObject();
            rules.putObject("data").set("values", marks);
            rules.putObject("mark").put("type", "rule").put("opacity", 0.8);
            ObjectNode r = rules.putObject("encoding");
            r.set("x", quantitative("x", c.x()));
            r.set("color", pathColour(c.series().stream().map(Series::path).toList()));
            r.set("strokeDash", precisionDash(c.series().stream().map(Series::precision).toList()));
            r.putArray("tooltip").add(F.objectNode().put("field", "label"));
        }
    }

    private static ObjectNode quantitative(String field, Axis a) {
        ObjectNode x = F.objectNode().put("field", field).put("type", "quantitative").put("title", a.label());
        if (a.log()) {
            x.putObject("scale").put("type", "log");
        }
        return x;
    }

    private static ObjectNode pathColour(List<String> paths) {
        Set<String> domain = new LinkedHashSet<>(paths);
        ObjectNode c = F.objectNode().put("field", "path").put("type", "nominal").put("title", "path");
        ObjectNode scale = c.putObject("scale");
        ArrayNode d = scale.putArray("domain");
        ArrayNode r = scale.putArray("range");
        for (String p : domain) {
            d.add(p);
            r.add(Palette.colourHex(p));
        }
        return c;
    }

    private static ObjectNode precisionDash(List<String> precisions) {
        Set<String> domain = new LinkedHashSet<>(precisions);
        ObjectNode c = F.objectNode().put("field", "precision").put("type", "nominal").put("title", "precision");
        ObjectNode scale = c.putObject("scale");
        ArrayNode d = scale.putArray("domain");
        ArrayNode r = scale.putArray("range");
        for (String p : domain) {
            d.add(p);
            ArrayNode dash = r.addArray();
            float[] pattern = Palette.dash(p);
            if (pattern.length == 0) {
                dash.add(1).add(0); // solid
            }
            for (float v : pattern) {
                dash.add(v);
            }
        }
        return c;
    }

    private static void heat(ObjectNode s, HeatMap h) {
        ArrayNode values = F.arrayNode();
        for (int r = 0; r < h.rows().size(); r++) {
            for (int k = 0; k < h.columns().size(); k++) {
                ObjectNode v = values.addObject();
                v.put("row", h.rows().get(r));
                v.put("column", h.columns().get(k));
                double x = h.values()[r][k];
                if (Double.isNaN(x)) {
                    v.putNull("value");
                } else {
                    v.put("value", x);
                }
                v.put("text", h.text()[r][k]);
            }
        }
        s.putObject("data").set("values", values);
        s.put("width", Math.max(300, 90 * h.columns().size()));
        s.put("height", 28 * h.rows().size());
        ObjectNode enc = s.putObject("encoding");
        enc.set("x", nominal("column", h.columnLabel(), h.columns()));
        enc.set("y", nominal("row", h.rowLabel(), h.rows()));
        ArrayNode layers = s.putArray("layer");
        ObjectNode rect = layers.addObject();
        rect.putObject("mark").put("type", "rect");
        ObjectNode colour = rect.putObject("encoding").putObject("color");
        ObjectNode condition = colour.putObject("condition");
        condition.put("test", "datum.value === null");
        condition.put("value", Palette.MISSING);
        colour.put("field", "value").put("type", "quantitative").put("title", h.scale().label());
        ObjectNode scale = colour.putObject("scale");
        scale.put("type", h.scale().log() ? "log" : "linear");
        scale.putArray("domain").add(h.scale().low()).add(h.scale().high());
        ArrayNode range = scale.putArray("range");
        Palette.RAMP.forEach(range::add);
        ObjectNode text = layers.addObject();
        text.putObject("mark").put("type", "text");
        text.putObject("encoding").putObject("text").put("field", "text").put("type", "nominal");
    }

    private static ObjectNode nominal(String field, String title, List<String> order) {
        ObjectNode n = F.objectNode().put("field", field).put("type", "nominal").put("title", title);
        ArrayNode sort = n.putArray("sort");
        order.forEach(sort::add);
        return n;
    }

    private static void dots(ObjectNode s, DotChart c) {
        ArrayNode values = F.arrayNode();
        List<String> labels = new ArrayList<>();
        for (DotChart.Dot d : c.dots()) {
            ObjectNode v = values.addObject();
            v.put("row", d.label());
            v.put("path", d.path());
            v.put("precision", d.precision());
            if (Double.isFinite(d.value()) && (!c.y().log() || d.value() > 0)) {
                v.put("value", d.value());
            } else {
                v.putNull("value");
            }
            v.put("valueText", d.valueText());
            v.put("verdict", d.passed() ? "passed" : "broke the rule");
            labels.add(d.label());
        }
        s.put("width", Math.max(400, 18 * c.dots().size()));
        s.put("height", 320);
        ArrayNode layers = s.putArray("layer");
        ObjectNode points = layers.addObject();
        points.putObject("data").set("values", values);
        points.putObject("mark").put("type", "point").put("filled", true).put("size", 90);
        ObjectNode enc = points.putObject("encoding");
        enc.set("x", nominal("row", "row checked (run and setting)", labels));
        enc.set("y", quantitative("value", c.y()));
        enc.set("color", pathColour(c.dots().stream().map(DotChart.Dot::path).toList()));
        ObjectNode shape = enc.putObject("shape").put("field", "verdict").put("type", "nominal");
        ObjectNode shapeScale = shape.putObject("scale");
        shapeScale.putArray("domain").add("passed").add("broke the rule");
        shapeScale.putArray("range").add("circle").add("cross");
        enc.putArray("tooltip").add(F.objectNode().put("field", "row")).add(F.objectNode().put("field", "valueText"))
                .add(F.objectNode().put("field", "verdict"));
        if (!c.thresholds().isEmpty()) {
            ArrayNode t = F.arrayNode();
            for (DotChart.Threshold th : c.thresholds()) {
                t.addObject().put("value", th.value()).put("label", th.label());
            }
            ObjectNode rules = layers.addObject();
            rules.putObject("data").set("values", t);
            rules.putObject("mark").put("type", "rule").putArray("strokeDash").add(6).add(4);
            ObjectNode r = rules.putObject("encoding");
            r.set("y", quantitative("value", c.y()));
            r.putArray("tooltip").add(F.objectNode().put("field", "label"));
        }
    }
}
