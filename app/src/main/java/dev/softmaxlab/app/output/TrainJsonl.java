package dev.softmaxlab.app.output;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.experiments.report.EvalRecord;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.report.Provenance;
import dev.softmaxlab.experiments.report.RunSummary;
import dev.softmaxlab.experiments.report.RunTiming;
import dev.softmaxlab.experiments.report.StepRecord;
import dev.softmaxlab.experiments.report.ToolInfo;
import dev.softmaxlab.experiments.config.TrainConfig;
import dev.softmaxlab.experiments.train.TrainListener;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code jsonl} format of {@code train}: one JSON object per line, written as the runs progress, for {@code jq}
 * and plotting tools. The first line is {@code {"type":"start","schema":"softmaxlab.trainEvents/1",...}} with the
 * tool, provenance and config; then, per run, {@code runStarted}, {@code step} (a logged step's record),
 * {@code eval} and {@code summary} lines, each carrying {@code runId}, {@code path} and {@code precision}; last, one
 * {@code timing} line per run. Within a run lines come in step order; runs training in parallel interleave.
 */
public final class TrainJsonl implements TrainListener {

    public static final String SCHEMA = "softmaxlab.trainEvents/1";

    private final OutputStream out;
    private final Map<String, String[]> runs = new ConcurrentHashMap<>(); // runId -> {path, precision}

    public TrainJsonl(OutputStream out) {
        this.out = out;
    }

    /** The first line. */
    public void start(Provenance provenance, TrainConfig config) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("type", "start");
        o.put("schema", SCHEMA);
        o.set("tool", Json.mapper().valueToTree(ToolInfo.current()));
        o.set("provenance", Json.mapper().valueToTree(provenance));
        o.set("config", config.toJson());
        write(o);
    }

    @Override
    public void runStarted(String runId, String path, String precision, int totalSteps) {
        runs.put(runId, new String[] {path, precision});
        ObjectNode o = line("runStarted", runId);
        o.put("totalSteps", totalSteps);
        write(o);
    }

    @Override
    public void stepLogged(String runId, StepRecord step) {
        write(line("step", runId, step));
    }

    @Override
    public void evaluated(String runId, EvalRecord eval) {
        write(line("eval", runId, eval));
    }

    @Override
    public void runFinished(String runId, RunSummary summary) {
        write(line("summary", runId, summary));
    }

    /** The last lines: one {@code timing} line per run. */
    public void finish(Map<String, RunTiming> timing) {
        for (Map.Entry<String, RunTiming> e : timing.entrySet()) {
            write(line("timing", e.getKey(), e.getValue()));
        }
    }

    private ObjectNode line(String type, String runId) {
        String[] pp = runs.getOrDefault(runId, new String[] {null, null});
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("type", type);
        o.put("runId", runId);
        o.put("path", pp[0]);
        o.put("precision", pp[1]);
        return o;
    }

    private ObjectNode line(String type, String runId, Object record) {
        ObjectNode o = line(type, runId);
        o.setAll((ObjectNode) Json.mapper().valueToTree(record));
        return o;
    }

    private synchronized void write(ObjectNode o) {
        try {
            out.write(Json.mapper().writeValueAsBytes(o));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
