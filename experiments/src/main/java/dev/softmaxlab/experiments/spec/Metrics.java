package dev.softmaxlab.experiments.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softmaxlab.experiments.report.RunSummary;
import java.lang.reflect.RecordComponent;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The metrics an expectation can read: the fields of a path's {@link RunSummary}, with nested counts addressed by
 * dots ({@code events.clipped}, {@code events.loss.nan}). Read from the record, so the spec language follows the
 * report schema.
 */
public final class Metrics {

    /** The kind of value a metric holds. */
    public enum Kind { NUMBER, TEXT }

    /** One metric: its dotted name, its kind, and whether it may be null (firstNonFiniteStep). */
    public record Metric(String name, Kind kind, boolean nullable) {
    }

    /** The values {@code status} takes. */
    public static final java.util.List<String> STATUSES = java.util.List.of("completed", "stopped");

    private static final Map<String, Metric> METRICS = read(RunSummary.class);
    private static final Map<String, Metric> PROBE_METRICS = read(SpecKind.PROBE.summaryType());

    private Metrics() {
    }

    /** The metrics of a training spec's rows (and of {@code --fail-on}). */
    public static Map<String, Metric> all() {
        return METRICS;
    }

    /** The metrics of a spec kind's rows: the fields of its summary record. */
    public static Map<String, Metric> of(SpecKind kind) {
        return kind == SpecKind.TRAIN ? METRICS : PROBE_METRICS;
    }

    public static Optional<Metric> get(String name) {
        return Optional.ofNullable(METRICS.get(name));
    }

    /** The value of {@code metric} in a summary object (a JSON null if absent). */
    public static JsonNode valueIn(JsonNode summary, String metric) {
        JsonNode node = summary;
        for (String part : metric.split("\\.")) {
            node = node.path(part);
        }
        return node.isMissingNode() ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : node;
    }

    private static Map<String, Metric> read(Class<?> summary) {
        Map<String, Metric> metrics = new LinkedHashMap<>();
        add(metrics, "", summary);
        return Collections.unmodifiableMap(metrics);
    }

    private static void add(Map<String, Metric> metrics, String prefix, Class<?> record) {
        for (RecordComponent c : record.getRecordComponents()) {
            String name = prefix + c.getName();
            Class<?> t = c.getType();
            if (t.isRecord()) {
                add(metrics, name + ".", t);
            } else if (t == String.class) {
                metrics.put(name, new Metric(name, Kind.TEXT, false));
            } else if (t.isPrimitive() && t != boolean.class) {
                metrics.put(name, new Metric(name, Kind.NUMBER, false));
            } else if (Number.class.isAssignableFrom(t)) {
                metrics.put(name, new Metric(name, Kind.NUMBER, true));
            } else {
                throw new IllegalStateException(record.getSimpleName() + "." + name + " has a type specs do not know: " + t);
            }
        }
    }
}
