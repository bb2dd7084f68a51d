package dev.softmaxlab.experiments.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.report.ToolInfo;
import dev.softmaxlab.experiments.spec.ExperimentSpec;
import dev.softmaxlab.experiments.spec.Expectation;
import dev.softmaxlab.experiments.spec.ResultRow;
import dev.softmaxlab.experiments.spec.Verdict;
import dev.softmaxlab.experiments.spec.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * The summary of a sweep ({@code softmaxlab.sweep/1}): the spec (with its hash), every run's grid values, config and
 * per-path summaries in grid order, the run failures and the expectations' verdicts. Everything that varies from one
 * execution to the next (provenance, wall-clock times, which runs were resumed) sits apart in {@code provenance} and
 * {@code timing}; the rest is identical for the same spec whatever {@code --jobs}, and for merged shards.
 *
 * @param document the summary document
 * @param outcomes the runs it covers, in grid order
 * @param verdicts the expectations' verdicts
 */
public record SweepSummary(ObjectNode document, List<RunOutcome> outcomes, List<Verdict> verdicts) {

    public static final String SCHEMA = "softmaxlab.sweep/1";

    /** The parts of a summary that may differ between executions of the same sweep. */
    public static final List<String> VOLATILE_FIELDS = List.of("provenance", "timing");

    public SweepSummary {
        outcomes = List.copyOf(outcomes);
        verdicts = List.copyOf(verdicts);
    }

    public List<RunOutcome> failedRuns() {
        return outcomes.stream().filter(o -> !o.ok()).toList();
    }

    public List<Verdict> failedExpectations() {
        return verdicts.stream().filter(Verdict::failed).toList();
    }

    /** All runs succeeded and no expectation failed. */
    public boolean ok() {
        return failedRuns().isEmpty() && failedExpectations().isEmpty();
    }

    /** Builds the summary of {@code outcomes} (grid order) and evaluates the spec's expectations on them. */
    public static SweepSummary build(ExperimentSpec spec, boolean smoke, Shard shard, int gridSize,
                                     List<RunOutcome> outcomes, JsonNode provenance, JsonNode timing) {
        List<ResultRow> rows = new ArrayList<>();
        outcomes.forEach(o -> rows.addAll(o.rows()));
        List<Verdict> verdicts = new ArrayList<>();
        for (Expectation e : spec.expect()) {
            verdicts.add(e.evaluate(rows));
        }

        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode d = f.objectNode();
        d.put("schema", SCHEMA);
        d.set("tool", Json.mapper().valueToTree(ToolInfo.current()));
        ObjectNode s = d.putObject("spec");
        s.put("name", spec.name());
        s.put("description", spec.description());
        s.put("hash", spec.hash());
        s.set("document", spec.document().deepCopy());
        d.put("smoke", smoke);
        if (shard.isAll()) {
            d.putNull("shard");
        } else {
            d.putObject("shard").put("index", shard.index()).put("count", shard.count());
        }
        d.put("gridSize", gridSize);
        long failedRuns = outcomes.stream().filter(o -> !o.ok()).count();
        long failedExpectations = verdicts.stream().filter(Verdict::failed).count();
        d.put("ok", failedRuns == 0 && failedExpectations == 0);
        ObjectNode counts = d.putObject("counts");
        counts.put("runs", outcomes.size());
        counts.put("failedRuns", failedRuns);
        counts.put("expectations", verdicts.size());
        counts.put("passedExpectations", verdicts.stream().filter(v -> v.status().equals("pass")).count());
        counts.put("failedExpectations", failedExpectations);
        counts.put("skippedExpectations", verdicts.stream().filter(v -> v.status().equals("skipped")).count());

        ArrayNode runs = d.putArray("runs");
        for (RunOutcome o : outcomes) {
            runs.add(toJson(o));
        }
        ArrayNode failures = d.putArray("failures");
        for (RunOutcome o : outcomes) {
            if (!o.ok()) {
                failures.addObject().put("runId", o.id()).put("index", o.index()).put("message", o.error());
            }
        }
        ArrayNode expectations = d.putArray("expectations");
        for (int i = 0; i < verdicts.size(); i++) {
            expectations.add(toJson(verdicts.get(i), spec.expect().get(i)));
        }
        d.set("provenance", provenance == null ? f.nullNode() : provenance);
        d.set("timing", timing == null ? f.nullNode() : timing);
        return new SweepSummary(d, outcomes, verdicts);
    }

    /** The runs of a summary document, as {@link #build} wrote them. */
    public static List<RunOutcome> outcomesOf(JsonNode document) {
        List<RunOutcome> out = new ArrayList<>();
        for (JsonNode r : document.path("runs")) {
            List<PathResult> results = new ArrayList<>();
            for (JsonNode p : r.path("results")) {
                results.add(new PathResult(p.path("id").asText(), p.path("path").asText(),
                        p.path("precision").asText(), (ObjectNode) p.get("summary").deepCopy()));
            }
            out.add(new RunOutcome(r.path("index").asInt(), r.path("id").asText(), (ObjectNode) r.get("point").deepCopy(),
                    (ObjectNode) r.get("config").deepCopy(), r.path("status").asText(),
                    r.path("error").isNull() ? null : r.path("error").asText(), results));
        }
        return out;
    }

    /** The document without its volatile fields: what must be equal between equivalent sweeps. */
    public static ObjectNode stable(JsonNode document) {
        ObjectNode copy = (ObjectNode) document.deepCopy();
        copy.remove(VOLATILE_FIELDS);
        return copy;
    }

    private static ObjectNode toJson(RunOutcome o) {
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        r.put("index", o.index());
        r.put("id", o.id());
        r.set("point", o.point().deepCopy());
        r.set("config", o.config().deepCopy());
        r.put("status", o.status());
        if (o.error() == null) {
            r.putNull("error");
        } else {
            r.put("error", o.error());
        }
        ArrayNode results = r.putArray("results");
        for (PathResult p : o.results()) {
            ObjectNode x = results.addObject();
            x.put("id", p.id());
            x.put("path", p.path());
            x.put("precision", p.precision());
            x.set("summary", p.summary().deepCopy());
        }
        return r;
    }

    private static ObjectNode toJson(Verdict v, Expectation e) {
        ObjectNode x = JsonNodeFactory.instance.objectNode();
        x.put("index", v.index());
        x.put("reads", e.describe());
        x.set("expectation", v.expectation().deepCopy());
        x.put("status", v.status());
        x.put("checked", v.checked());
        ArrayNode violations = x.putArray("violations");
        for (Violation b : v.violations()) {
            ObjectNode y = violations.addObject();
            y.put("runId", b.runId());
            y.put("path", b.path());
            y.put("precision", b.precision());
            y.set("point", b.point().deepCopy());
            y.set("actual", b.actual() == null ? JsonNodeFactory.instance.nullNode() : b.actual().deepCopy());
        }
        return x;
    }
}
