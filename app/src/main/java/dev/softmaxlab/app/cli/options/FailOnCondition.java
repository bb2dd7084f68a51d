package dev.softmaxlab.app.cli.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.names.NearestName;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.report.RunSummary;
import dev.softmaxlab.experiments.report.TrainingRun;
import dev.softmaxlab.experiments.spec.Expectation;
import dev.softmaxlab.experiments.spec.InvalidSpecException;
import dev.softmaxlab.experiments.spec.JsonValues;
import dev.softmaxlab.experiments.spec.Metrics;
import dev.softmaxlab.experiments.spec.ResultRow;
import dev.softmaxlab.experiments.spec.SpecLoader;
import dev.softmaxlab.experiments.spec.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A {@code --fail-on} condition: a short spelling of a spec expectation, read the other way round (the gate fires
 * on the runs that break the expectation), evaluated by the spec's own code ({@link Expectation}):
 * <ul>
 *   <li>{@code nonfinite[:SEL]} is {@code {"metric":"totalNonFinite","equals":0}}: a run produced a non-finite loss
 *       or logit gradient;</li>
 *   <li>{@code stopped[:SEL]} is {@code {"metric":"status","equals":"completed"}}: a run was ended early by
 *       {@code --on-nonfinite stop};</li>
 *   <li>{@code METRIC OP X[:SEL]}, OP one of {@code < <= > >= == !=}, is the opposite check with
 *       {@code "finite": true, "ifNull": "pass"}: {@code test-accuracy<0.9} is
 *       {@code {"metric":"finalTestAccuracy","gte":0.9,"finite":true,"ifNull":"pass"}}. So a NaN or ±∞ metric fires
 *       every gate (a run that blew up never passes one), and a null {@code first-nonfinite-step} (never non-finite)
 *       fires none.</li>
 * </ul>
 * SEL is a path id ({@code "where":{"path":..}}: all its precisions), a run id ({@code fused@fp16}: path and
 * precision), or absent (every run). METRIC is any numeric metric of a spec's expectations ({@link Metrics}:
 * {@code finalTestAccuracy}, {@code events.clipped}, ...), or a short kebab-case alias of one.
 *
 * @param text        as given
 * @param metric      the {@link Metrics} name read
 * @param op          the operator of {@code METRIC OP X}, or null for {@code nonfinite} and {@code stopped}
 * @param selector    path id, run id, or null for every run
 * @param expectation the expectation every selected run must meet
 */
public record FailOnCondition(String text, String metric, String op, String selector, Expectation expectation) {

    /** The spec metrics a comparison can read: every numeric one. */
    private static final List<String> METRICS = Metrics.all().values().stream()
            .filter(m -> m.kind() == Metrics.Kind.NUMBER).map(Metrics.Metric::name).toList();
    /** Short kebab-case spellings of the most used metrics. */
    private static final Map<String, String> ALIASES = new LinkedHashMap<>();

    static {
        ALIASES.put("train-loss", "finalTrainLoss");
        ALIASES.put("train-accuracy", "finalTrainAccuracy");
        ALIASES.put("test-loss", "finalTestLoss");
        ALIASES.put("test-accuracy", "finalTestAccuracy");
        ALIASES.put("first-nonfinite-step", "firstNonFiniteStep");
        ALIASES.put("skipped", "skippedSteps");
        ALIASES.put("nonfinite-count", "totalNonFinite");
        ALIASES.put("steps-run", "stepsRun");
    }

    /** Each operator (longest first, so {@code <=} is not read as {@code <}) and the spec check that is its opposite. */
    private static final Map<String, String> OPPOSITE = new LinkedHashMap<>();

    static {
        OPPOSITE.put("<=", "gt");
        OPPOSITE.put(">=", "lt");
        OPPOSITE.put("==", "ne");
        OPPOSITE.put("!=", "equals");
        OPPOSITE.put("<", "gte");
        OPPOSITE.put(">", "lte");
    }

    /** Every accepted metric name, for messages. */
    static List<String> names() {
        List<String> names = new ArrayList<>(List.of("nonfinite", "stopped"));
        names.addAll(ALIASES.keySet());
        names.addAll(METRICS);
        return names;
    }

    /**
     * Parses one condition.
     *
     * @throws InvalidInputException naming the condition and the fix
     */
    public static FailOnCondition parse(String text) {
        String t = text.trim();
        String selector = null;
        int colon = t.lastIndexOf(':');
        if (colon >= 0) {
            selector = t.substring(colon + 1).trim();
            t = t.substring(0, colon).trim();
            if (selector.isEmpty()) {
                throw bad(text, "nothing after ':': name a path (fused) or a run (fused@fp32), or drop the ':'");
            }
        }
        ObjectNode e = Json.mapper().createObjectNode();
        if (selector != null) {
            ObjectNode where = e.putObject("where");
            int at = selector.indexOf('@');
            if (at < 0) {
                where.put("path", selector);
            } else {
                where.put("path", selector.substring(0, at)).put("precision", selector.substring(at + 1));
            }
        }
        String metric;
        String op = null;
        if (t.equals("nonfinite")) {
            metric = "totalNonFinite";
            e.put("metric", metric).put("equals", 0);
        } else if (t.equals("stopped")) {
            metric = "status";
            e.put("metric", metric).put("equals", "completed");
        } else {
            op = operator(t);
            metric = comparison(text, t, op, e);
        }
        try {
            return new FailOnCondition(text, metric, op, selector, SpecLoader.gate(e, "--fail-on"));
        } catch (InvalidSpecException x) {
            throw bad(text, x.problems().get(0).message()); // not expected: parse builds only valid expectations
        }
    }

    /** The first operator in {@code t} (longest first), or null. */
    private static String operator(String t) {
        for (String op : OPPOSITE.keySet()) {
            if (t.contains(op)) {
                return op;
            }
        }
        return null;
    }

    /** Fills in {@code METRIC OP X} as its opposite check; returns the metric. */
    private static String comparison(String text, String t, String op, ObjectNode e) {
        if (op == null) {
            throw bad(text, "expected nonfinite, stopped, or METRIC<NUMBER (also <=, >, >=, ==, !=), each optionally "
                    + "followed by :PATH" + NearestName.hint(t, names()));
        }
        int at = t.indexOf(op);
        String metric = metricName(text, t.substring(0, at).trim());
        String number = t.substring(at + op.length()).trim();
        double threshold;
        try {
            threshold = Double.parseDouble(number);
        } catch (NumberFormatException x) {
            throw bad(text, "'" + number + "' is not a number: e.g. test-accuracy<0.9:fused");
        }
        if (!Double.isFinite(threshold)) {
            throw bad(text, "the threshold must be finite");
        }
        e.put("metric", metric).put(OPPOSITE.get(op), threshold).put("finite", true).put("ifNull", "pass");
        return metric;
    }

    private static String metricName(String text, String name) {
        if (METRICS.contains(name)) {
            return name;
        }
        if (ALIASES.containsKey(name)) {
            return ALIASES.get(name);
        }
        throw bad(text, "unknown metric '" + name + "'" + NearestName.hint(name, names()) + "; metrics: "
                + String.join(", ", ALIASES.keySet()) + " (or their summary names, e.g. finalTestAccuracy)");
    }

    private static InvalidInputException bad(String text, String why) {
        return new InvalidInputException("--fail-on '" + text + "': " + why);
    }

    /**
     * Checks the selector against the runs: a selector that matches no run is a user error (a typo would otherwise
     * pass every gate silently).
     */
    public void checkSelector(List<String> paths, List<String> precisions) {
        if (selector == null || paths.contains(selector)) {
            return;
        }
        List<String> names = new ArrayList<>(paths);
        for (String path : paths) {
            for (String precision : precisions) {
                String id = TrainingRun.idOf(path, precision);
                if (id.equals(selector)) {
                    return;
                }
                names.add(id);
            }
        }
        throw bad(text, "no run is '" + selector + "'" + NearestName.hint(selector, names) + "; the paths are "
                + String.join(", ", paths) + ", the runs path@precision");
    }

    /**
     * One line per selected run that breaks the expectation, i.e. for which the condition holds, e.g.
     * "--fail-on test-accuracy<0.9:fused held for fused@fp16 (finalTestAccuracy = 0.850000)".
     */
    public List<String> violations(List<TrainingRun> runs) {
        List<ResultRow> rows = new ArrayList<>();
        Map<String, RunSummary> summaries = new LinkedHashMap<>();
        ObjectNode none = Json.mapper().createObjectNode();
        for (TrainingRun r : runs) {
            rows.add(new ResultRow(r.id(), none, none, r.path(), r.precision(), Json.mapper().valueToTree(r.summary())));
            summaries.put(r.id(), r.summary());
        }
        List<String> lines = new ArrayList<>();
        for (Violation v : expectation.evaluate(rows).violations()) {
            RunSummary s = summaries.get(v.runId());
            String held = op != null ? shown(v.actual())
                    : metric.equals("status") ? "stopped at step " + s.stepsRun()
                    : "totalNonFinite = " + s.totalNonFinite() + ", first at step " + s.firstNonFiniteStep();
            lines.add("--fail-on " + text + " held for " + v.runId() + " (" + held + ")");
        }
        return lines;
    }

    /** "metric = value": an integer as is, any other number (NaN and ±∞ included) to 6 significant digits. */
    private String shown(JsonNode value) {
        String v = value.isIntegralNumber() ? value.asText()
                : String.format(Locale.ROOT, "%.6g", JsonValues.number(value).orElse(Double.NaN));
        return metric + " = " + v;
    }

    /** picocli converter: a bad condition is a parameter error (exit 2, one line). */
    public static final class Converter implements ITypeConverter<FailOnCondition> {
        @Override
        public FailOnCondition convert(String value) {
            try {
                return parse(value);
            } catch (InvalidInputException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
