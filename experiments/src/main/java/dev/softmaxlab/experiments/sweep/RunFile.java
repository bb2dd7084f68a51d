package dev.softmaxlab.experiments.sweep;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.experiments.report.Json;
import java.util.List;
import java.util.Optional;

/**
 * A run's result file as the sweep reads it, typed: its schema, its config, and one entry per path × precision. A
 * training report ({@code softmaxlab.report/1}) and a probe-grid row ({@code softmaxlab.probeRow/1}) share this
 * layout; their other fields (steps, evals, provenance) are not read here.
 *
 * @param schema the document's schema id
 * @param config the config as written (resolved again before it is trusted, see {@link RunStore})
 * @param runs   one entry per path × precision
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record RunFile(String schema, JsonNode config, List<Entry> runs) {

    /**
     * One path × precision.
     *
     * @param id        {@code path@precision}
     * @param path      the loss path id
     * @param precision the precision id
     * @param summary   its summary object, read by expectations and the CSV by metric name
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Entry(String id, String path, String precision, ObjectNode summary) {
    }

    /** The typed view of a parsed document; empty when it does not have this layout (the file is then run again). */
    static Optional<RunFile> of(JsonNode document) {
        if (document == null || !document.isObject()) {
            return Optional.empty();
        }
        try {
            RunFile f = Json.mapper().treeToValue(document, RunFile.class);
            if (f.schema() == null || f.config() == null || !f.config().isObject() || f.runs() == null
                    || f.runs().stream().anyMatch(e -> e == null || e.path() == null || e.precision() == null
                    || e.summary() == null)) {
                return Optional.empty();
            }
            return Optional.of(f);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
