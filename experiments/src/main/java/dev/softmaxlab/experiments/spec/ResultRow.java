package dev.softmaxlab.experiments.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * One path × precision of one run of a sweep: what an expectation's {@code where} selects and its metric reads.
 *
 * @param runId     the sweep run id (hash of the resolved config)
 * @param point     the grid values of the run
 * @param config    the run's resolved config
 * @param path      the loss path id
 * @param precision the precision id
 * @param summary   the path's summary object; null for a run that failed or was not run
 */
public record ResultRow(String runId, ObjectNode point, ObjectNode config, String path, String precision,
                        JsonNode summary) {

    /** The value a {@code where} key reads: {@code path}, {@code precision}, or a config key. */
    public JsonNode whereValue(String key) {
        return switch (key) {
            case "path" -> TextNode.valueOf(path);
            case "precision" -> TextNode.valueOf(precision);
            default -> config.get(key);
        };
    }
}
