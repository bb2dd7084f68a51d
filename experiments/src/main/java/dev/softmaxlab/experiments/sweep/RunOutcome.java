package dev.softmaxlab.experiments.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.experiments.spec.ResultRow;
import java.util.ArrayList;
import java.util.List;

/**
 * What became of one run of a sweep: its results, or the message it failed with.
 *
 * @param index   its position in grid order
 * @param id      its run id
 * @param point   its grid values
 * @param config  its resolved config
 * @param status  {@code ok} or {@code failed}
 * @param error   why it failed; null when ok
 * @param results one entry per path × precision, in the report's order; empty when failed
 */
public record RunOutcome(int index, String id, ObjectNode point, ObjectNode config, String status, String error,
                         List<PathResult> results) {

    public static final String OK = "ok";
    public static final String FAILED = "failed";

    public RunOutcome {
        results = List.copyOf(results);
    }

    public boolean ok() {
        return OK.equals(status);
    }

    /** The outcome a valid result file gives. */
    static RunOutcome fromReport(PlannedRun run, RunFile report) {
        List<PathResult> results = new ArrayList<>();
        for (RunFile.Entry r : report.runs()) {
            results.add(new PathResult(r.id(), r.path(), r.precision(), r.summary().deepCopy()));
        }
        return new RunOutcome(run.index(), run.id(), run.point(), run.configJson(), OK, null, results);
    }

    static RunOutcome failed(PlannedRun run, String message) {
        return new RunOutcome(run.index(), run.id(), run.point(), run.configJson(), FAILED, message, List.of());
    }

    /**
     * The rows expectations and the CSV read: one per path × precision. A failed run still has its rows (from its
     * config's paths and precisions) with no summary, so the CSV stays rectangular and the failure is visible.
     */
    public List<ResultRow> rows() {
        List<ResultRow> rows = new ArrayList<>();
        if (ok()) {
            for (PathResult r : results) {
                rows.add(new ResultRow(id, point, config, r.path(), r.precision(), r.summary()));
            }
        } else {
            for (JsonNode path : config.path("paths")) {
                for (JsonNode precision : config.path("precision")) {
                    rows.add(new ResultRow(id, point, config, path.asText(), precision.asText(), null));
                }
            }
        }
        return rows;
    }
}
