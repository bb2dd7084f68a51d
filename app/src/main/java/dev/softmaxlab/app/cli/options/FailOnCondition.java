package dev.softmaxlab.app.cli.options;

import dev.softmaxlab.core.InvalidInputException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.report.RunSummary;
import dev.softmaxlab.experiments.spec.Comparison;
import dev.softmaxlab.experiments.spec.JsonValues;
import dev.softmaxlab.experiments.spec.Metrics;
import dev.softmaxlab.experiments.report.TrainingRun;
import dev.softmaxlab.experiments.names.NearestName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A {@code --fail-on} condition over the runs' summaries, for CI gates on numerical health:
 * <ul>
 *   <li>{@code nonfinite[:SEL]}: a run produced a non-finite loss or logit gradient ({@code totalNonFinite > 0});</li>
 *   <li>{@code stopped[:SEL]}: a run was ended early by {@code --on-nonfinite stop};</li>
 *   <li>{@code METRIC OP NUMBER[:SEL]} with OP one of {@code < <= > >= == !=}, e.g. {@code test-accuracy<0.9:fused}.
 *       A NaN or infinite metric satisfies every comparison (a run that blew up never passes a gate); a null
 *       {@code first-nonfinite-step} (never non-finite) satisfies none.</li>
 * </ul>
 * SEL is a path id (all its precisions), a run id ({@code fused@fp16}), or absent (every run). METRIC is any numeric
 * metric of a spec's expectations ({@link Metrics}: {@code finalTestAccuracy}, {@code events.clipped}, ...), or a short
 * kebab-case alias of one; its value is read, and {@code < <= > >=} compared, by the spec's own code ({@link Metrics},
 * {@link Comparison}), so a gate and an expectation name and read a metric alike.
 *
 * @param text      as given
 * @param metric    a numeric {@link Metrics} name, or {@code nonfinite}/{@code stopped}
 * @param op        the comparison, or null for {@code nonfinite}/{@code stopped}
 * @param threshold the number compared with
 * @param selector  path id, run id, or null for every run
 */
public record FailOnCondition(String text, String metric, String op, double threshold, String selector) {

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

    private static final List<String> OPS = List.of("<=", ">=", "==", "!=", "<", ">");

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
        if (t.equals("nonfinite") || t.equals("stopped")) {
            return new FailOnCondition(text, t, null, Double.NaN, selector);
        }
        for (String op : OPS) {
            int at = t.indexOf(op);
            if (at >= 0) {
                String name = t.substring(0, at).trim();
                String number = t.substring(at + op.length()).trim();
                String metric = metricName(text, name);
                double threshold;
                try {
                    threshold = Double.parseDouble(number);
                } catch (NumberFormatException e) {
                    throw bad(text, "'" + number + "' is not a number: e.g. test-accuracy<0.9:fused");
                }
                if (!Double.isFinite(threshold)) {
                    throw bad(text, "the threshold must be finite");
                }
                return new FailOnCondition(text, metric, op, threshold, selector);
            }
        }
        String hint = NearestName.hint(t, names());
        throw bad(text, "expected nonfinite, stopped, or METRIC<NUMBER (also <=, >, >=, ==, !=), each optionally "
                + "followed by :PATH" + hint);
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

    private boolean selects(TrainingRun r) {
        return selector == null || selector.equals(r.path()) || selector.equals(r.id());
    }

    /** One line per selected run for which the condition holds, e.g. "... held for separate-naive@fp32 (...)". */
    public List<String> violations(List<TrainingRun> runs) {
        List<String> lines = new ArrayList<>();
        for (TrainingRun r : runs) {
            if (!selects(r)) {
                continue;
            }
            RunSummary s = r.summary();
            String held = switch (metric) {
                case "nonfinite" -> s.totalNonFinite() > 0 ? "totalNonFinite = " + s.totalNonFinite()
                        + ", first at step " + s.firstNonFiniteStep() : null;
                case "stopped" -> s.status().equals("stopped") ? "stopped at step " + s.stepsRun() : null;
                default -> compare(Metrics.valueIn(Json.mapper().valueToTree(s), metric));
            };
            if (held != null) {
                lines.add("--fail-on " + text + " held for " + r.id() + " (" + held + ")");
            }
        }
        return lines;
    }

    /** "metric = value" when the comparison holds (a NaN or ±∞ value always does), else null (and for null). */
    private String compare(JsonNode value) {
        OptionalDouble x = value.isNull() ? OptionalDouble.empty() : JsonValues.number(value);
        if (x.isEmpty()) {
            return null;
        }
        double v = x.getAsDouble();
        boolean holds = !Double.isFinite(v) || switch (op) {
            case "<" -> Comparison.LT.holds(v, threshold);
            case "<=" -> Comparison.LTE.holds(v, threshold);
            case ">" -> Comparison.GT.holds(v, threshold);
            case ">=" -> Comparison.GTE.holds(v, threshold);
            case "==" -> v == threshold;
            case "!=" -> v != threshold;
            default -> throw new IllegalStateException(op);
        };
        String shown = value.isIntegralNumber() ? value.asText() : String.format(Locale.ROOT, "%.6g", v);
        return holds ? metric + " = " + shown : null;
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
