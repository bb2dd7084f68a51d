package dev.softmaxlab.experiments.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.config.ProbeGridConfig;
import dev.softmaxlab.experiments.config.TrainConfig;
import dev.softmaxlab.experiments.report.AtomicFiles;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.report.Provenance;
import dev.softmaxlab.experiments.report.ToolVersion;
import dev.softmaxlab.experiments.spec.ExperimentSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a spec's grid (or one shard of it) into an output directory: each run's report goes to
 * {@code runs/<id>.json} the moment it finishes, then {@code summary.json} and {@code summary.csv} are written.
 * Runs are independent, so they go to a thread pool; outcomes are kept by grid index, so the summary is the same
 * whatever the number of threads or the order runs finish in. A run that throws is recorded as failed and the sweep
 * goes on. Killed at any moment, a sweep leaves only whole result files (and temporaries that {@code --resume}
 * removes), so resuming loses and duplicates nothing.
 */
public final class Sweep {

    private final RunExecutor executor;
    private final SweepListener listener;

    public Sweep(RunExecutor executor, SweepListener listener) {
        this.executor = executor;
        this.listener = listener;
    }

    /** What a sweep did: the summary, and how many runs were executed and how many taken from earlier files. */
    public record Result(SweepSummary summary, int executed, int resumed) {
    }

    public Result run(ExperimentSpec spec, SweepOptions options, Path outputDir, List<String> commandLine)
            throws IOException, InterruptedException {
        Instant start = Instant.now();
        long t0 = System.nanoTime();
        List<PlannedRun> plan = SweepPlan.of(spec, options.smoke());
        RunStore store = new RunStore(outputDir);
        Files.createDirectories(store.dir());
        SweepOutput.checkTree(outputDir, "sweep output " + outputDir);
        // temporaries of a killed earlier sweep whose writer is gone (by pid), whatever the flags
        AtomicFiles.removeStale(outputDir);
        AtomicFiles.removeStale(store.dir());
        if (options.resume()) {
            store.removeStaleTemporaries();
        }
        List<PlannedRun> mine = plan.stream().filter(r -> options.shard().includes(r.index())).toList();
        RunOutcome[] outcomes = new RunOutcome[plan.size()];
        List<PlannedRun> toRun = new ArrayList<>();
        for (PlannedRun r : mine) {
            Optional<RunFile> stored = options.resume() ? store.readValid(r) : Optional.empty();
            if (stored.isPresent()) {
                outcomes[r.index()] = RunOutcome.fromReport(r, stored.get());
            } else {
                toRun.add(r);
            }
        }
        int resumed = mine.size() - toRun.size();
        listener.started(toRun.size(), resumed);
        Map<String, Double> seconds = execute(toRun, options.jobs(), store, outcomes, t0);

        List<RunOutcome> covered = new ArrayList<>();
        for (PlannedRun r : mine) {
            covered.add(outcomes[r.index()]);
        }
        ObjectNode timing = JsonNodeFactory.instance.objectNode();
        timing.put("totalSeconds", (System.nanoTime() - t0) / 1e9);
        timing.put("executed", toRun.size());
        timing.put("resumed", resumed);
        timing.put("jobs", options.jobs());
        ObjectNode perRun = timing.putObject("runs");
        seconds.forEach(perRun::put);
        JsonNode provenance = Json.mapper().valueToTree(Provenance.capture(ToolVersion.get(), commandLine, start));
        SweepSummary summary = SweepSummary.build(spec, options.smoke(), options.shard(), plan.size(), covered,
                provenance, timing);
        SweepOutput.write(outputDir, summary, spec.kind());
        return new Result(summary, toRun.size(), resumed);
    }

    private Map<String, Double> execute(List<PlannedRun> toRun, int jobs, RunStore store, RunOutcome[] outcomes,
                                        long t0)
            throws InterruptedException, IOException {
        Map<String, Double> seconds = new LinkedHashMap<>();
        if (toRun.isEmpty()) {
            return seconds;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, toRun.size()), r -> {
            Thread t = new Thread(r, "sweep-run");
            t.setDaemon(true);
            return t;
        });
        try {
            ExecutorCompletionService<Timed> done = new ExecutorCompletionService<>(pool);
            for (PlannedRun r : toRun) {
                done.submit(() -> runOne(r, store));
            }
            Map<String, Double> byId = new LinkedHashMap<>();
            for (int k = 1; k <= toRun.size(); k++) {
                Future<Timed> f = done.take();
                Timed t;
                try {
                    t = f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof UncheckedIOException io) {
                        throw io.getCause(); // the output directory cannot be written: no point going on
                    }
                    throw new IllegalStateException("a sweep worker failed", e.getCause());
                }
                outcomes[t.outcome().index()] = t.outcome();
                byId.put(t.outcome().id(), t.seconds());
                listener.runFinished(t.outcome(), k, toRun.size(), System.nanoTime() - t0);
            }
            // Grid order, so that the timing object is laid out the same way on every execution.
            for (PlannedRun r : toRun) {
                seconds.put(r.id(), byId.get(r.id()));
            }
            return seconds;
        } finally {
            pool.shutdownNow();
        }
    }

    private record Timed(RunOutcome outcome, double seconds) {
    }

    private Timed runOne(PlannedRun run, RunStore store) {
        long t = System.nanoTime();
        ObjectNode report;
        try {
            report = run.config() instanceof ProbeGridConfig probe ? ProbeGridRuns.report(probe)
                    : executor.run((TrainConfig) run.config());
        } catch (InvalidInputException e) {
            return new Timed(RunOutcome.failed(run, e.getMessage()), (System.nanoTime() - t) / 1e9);
        } catch (Exception e) {
            String message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            return new Timed(RunOutcome.failed(run, message), (System.nanoTime() - t) / 1e9);
        }
        double s = (System.nanoTime() - t) / 1e9;
        // The outcome is read back from the bytes written, so a fresh run and a resumed one are the same tree
        // (a NaN becomes the string "NaN" either way).
        byte[] bytes;
        Optional<RunFile> written;
        try {
            bytes = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(report);
            written = RunFile.of(Json.mapper().readTree(bytes));
        } catch (IOException e) {
            return new Timed(RunOutcome.failed(run, "the report cannot be written as JSON: " + e.getMessage()), s);
        }
        if (written.isEmpty() || !RunStore.isValidFor(written.get(), run)) {
            return new Timed(RunOutcome.failed(run, "the trainer returned a report that does not match the run's "
                    + "config, paths and precisions"), s);
        }
        try {
            store.write(run.id(), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Timed(RunOutcome.fromReport(run, written.get()), s);
    }
}
