package dev.softmaxlab.experiments.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.softmaxlab.experiments.config.TrainConfig;
import java.util.List;
import java.util.Map;

/**
 * The document a {@code train} invocation writes ({@code "schema":"softmaxlab.report/1"}). Everything but
 * {@code provenance} and {@code timing} is a function of {@code config} alone: two invocations with the same config
 * give byte-identical {@code runs}, whatever the thread count. Wall-clock figures live in {@code timing}, keyed by
 * run id, so that they never break that.
 *
 * @param schema     {@link #SCHEMA}
 * @param tool       name and version
 * @param provenance command line, JVM, OS, start time
 * @param config     the complete resolved config: feeding it back ({@code --config report.json}) reproduces the runs
 * @param data       what was loaded: rows, features, classes and the label of each class index
 * @param runs       one per (path, precision), paths outer, precisions inner, in config order
 * @param timing     run id -> wall-clock figures
 */
@JsonPropertyOrder({"schema", "tool", "provenance", "config", "data", "runs", "timing"})
public record TrainingReport(String schema, ToolInfo tool, Provenance provenance, TrainConfig config,
                             DataSummary data, List<TrainingRun> runs, Map<String, RunTiming> timing) {

    public static final String SCHEMA = "softmaxlab.report/1";

    public TrainingReport {
        runs = List.copyOf(runs);
        timing = timing == null ? null : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(timing));
    }

    /** The run with this id, or null. */
    public TrainingRun run(String id) {
        for (TrainingRun r : runs) {
            if (r.id().equals(id)) {
                return r;
            }
        }
        return null;
    }
}
