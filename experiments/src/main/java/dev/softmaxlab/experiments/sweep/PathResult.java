package dev.softmaxlab.experiments.sweep;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One path × precision of a run, as its report's {@code runs[]} entry gives it (steps and evals left out).
 *
 * @param id        the report's run id for this path and precision
 * @param path      the loss path id
 * @param precision the precision id
 * @param summary   the report's summary object for it (RunSummary fields)
 */
public record PathResult(String id, String path, String precision, ObjectNode summary) {
}
