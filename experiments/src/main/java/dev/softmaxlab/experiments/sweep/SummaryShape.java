package dev.softmaxlab.experiments.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.io.UserText;
import java.nio.file.Path;

/**
 * The shape of a sweep summary that {@code merge} reads, checked field by field with the types the sweep schema
 * gives them, so that a tampered summary ({@code "config": null}, {@code "point": [1,2]}, no {@code runs}) is a
 * one-line refusal naming the field, not a crash. Every value merge takes over is then checked against the spec's
 * own grid ({@link SweepMerge}); the rest of the summary is not trusted but rebuilt.
 */
final class SummaryShape {

    private SummaryShape() {
    }

    static void check(JsonNode s, Path file) {
        need(s, "spec", JsonNode::isObject, "an object", file, "$");
        need(s.get("spec"), "hash", JsonNode::isTextual, "a string", file, "$.spec");
        need(s.get("spec"), "document", JsonNode::isObject, "an object", file, "$.spec");
        need(s, "smoke", JsonNode::isBoolean, "true or false", file, "$");
        need(s, "gridSize", JsonNode::canConvertToInt, "an integer", file, "$");
        need(s, "runs", JsonNode::isArray, "an array", file, "$");
        int i = 0;
        for (JsonNode r : s.get("runs")) {
            String at = "$.runs[" + i++ + "]";
            if (!r.isObject()) {
                throw bad(file, at, "an object", r);
            }
            need(r, "index", n -> n.isIntegralNumber() && n.canConvertToInt(), "an integer", file, at);
            need(r, "id", JsonNode::isTextual, "a run id", file, at);
            need(r, "point", JsonNode::isObject, "an object", file, at);
            need(r, "config", JsonNode::isObject, "an object", file, at);
            need(r, "status", n -> n.isTextual() && (n.asText().equals(RunOutcome.OK)
                    || n.asText().equals(RunOutcome.FAILED)), "\"ok\" or \"failed\"", file, at);
            need(r, "results", JsonNode::isArray, "an array", file, at);
            int k = 0;
            for (JsonNode p : r.get("results")) {
                String pat = at + ".results[" + k++ + "]";
                if (!p.isObject()) {
                    throw bad(file, pat, "an object", p);
                }
                need(p, "id", JsonNode::isTextual, "a string", file, pat);
                need(p, "path", JsonNode::isTextual, "a string", file, pat);
                need(p, "precision", JsonNode::isTextual, "a string", file, pat);
                need(p, "summary", JsonNode::isObject, "an object", file, pat);
            }
        }
    }

    private static void need(JsonNode parent, String field, java.util.function.Predicate<JsonNode> ok, String what,
                             Path file, String at) {
        JsonNode v = parent.get(field);
        if (v == null || !ok.test(v)) {
            throw bad(file, at + "." + field, what, v);
        }
    }

    private static InvalidInputException bad(Path file, String at, String what, JsonNode got) {
        return new InvalidInputException("cannot merge " + file + ": " + at + " must be " + what + ", got "
                + (got == null ? "nothing" : UserText.quote(got.toString())) + "; was the file edited?");
    }
}
