package dev.softmaxlab.experiments.train;

import dev.softmaxlab.core.loss.LossPath;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.experiments.config.TrainConfig;
import dev.softmaxlab.experiments.data.Seeds;
import dev.softmaxlab.experiments.data.Split;
import dev.softmaxlab.experiments.model.Model;
import dev.softmaxlab.experiments.report.DataSummary;
import dev.softmaxlab.experiments.report.Provenance;
import dev.softmaxlab.experiments.report.RunTiming;
import dev.softmaxlab.experiments.report.ToolInfo;
import dev.softmaxlab.experiments.report.ToolVersion;
import dev.softmaxlab.experiments.report.TrainingReport;
import dev.softmaxlab.experiments.report.TrainingRun;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Trains one copy of the model per (loss path × precision) from bit-identical initial weights on the same batches in
 * the same order, and reports what each run did.
 *
 * <p>The data is loaded and split once; the model is initialised once from the config's seed; each run gets its own
 * {@link Model#copy()}, its own optimizer and its own {@link BatchOrder} from the same seed. Runs share nothing
 * mutable, so they may train on several threads and give exactly what a sequential execution gives.
 *
 * <p>Seeds: the config's {@code seed} is split by {@link Seeds} into named streams: {@code data} and {@code split}
 * (used by the data package), {@code init} (the initial weights) and {@code batches} (the batch order).
 */
public final class Trainer {

    private final TrainingParts parts;
    private final int threads;

    /**
     * @param parts   where data, model and optimizers come from
     * @param threads runs trained at once (≥ 1); results do not depend on it
     */
    public Trainer(TrainingParts parts, int threads) {
        this.parts = Objects.requireNonNull(parts, "parts");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
    }

    /** The standard parts on as many threads as there are cores. */
    public static Trainer standard() {
        return new Trainer(TrainingParts.standard(), Runtime.getRuntime().availableProcessors());
    }

    public Trainer withThreads(int n) {
        return new Trainer(parts, n);
    }

    /**
     * Trains every run of {@code config} and returns the full report.
     *
     * @param commandLine the invocation's arguments, recorded in the provenance
     * @param listener    hears progress (possibly from several threads at once)
     */
    public TrainingReport run(TrainConfig config, List<String> commandLine, TrainListener listener) {
        return run(config, Provenance.capture(ToolVersion.get(), commandLine, Instant.now()), listener);
    }

    /**
     * As {@link #run(TrainConfig, List, TrainListener)}, with the provenance captured by the caller (e.g. to write it
     * in a stream's header before training starts).
     */
    public TrainingReport run(TrainConfig config, Provenance provenance, TrainListener listener) {
        Map<String, RunTiming> timing = new LinkedHashMap<>();
        DataSummary[] data = new DataSummary[1];
        List<TrainingRun> runs = train(config, listener, timing, data);
        return new TrainingReport(TrainingReport.SCHEMA, ToolInfo.current(), provenance, config, data[0], runs,
                timing);
    }

    /** The runs only: no provenance, no timing; a pure function of the config. */
    public List<TrainingRun> runs(TrainConfig config, TrainListener listener) {
        return train(config, listener, new LinkedHashMap<>(), new DataSummary[1]);
    }

    /** @param loaded receives what was loaded, for the report */
    private List<TrainingRun> train(TrainConfig config, TrainListener listener, Map<String, RunTiming> timing,
                                    DataSummary[] loaded) {
        Objects.requireNonNull(config, "config");
        TrainListener hear = listener == null ? TrainListener.NONE : listener;
        Split data = parts.prepare(config);
        loaded[0] = new DataSummary(data.train().rows() + data.test().rows(), data.train().rows(),
                data.test().rows(), data.train().featureCount(), data.train().classNames());
        long batchSeed = Seeds.derive(config.seed(), Seeds.BATCHES);
        Model initial = parts.createModel(config, data.train().featureCount(), data.train().classCount(),
                Seeds.stream(config.seed(), Seeds.INIT));
        int totalSteps = config.stepsFor(data.train().rows());

        List<PathRun> todo = new ArrayList<>();
        for (LossPath path : config.paths()) {
            for (Precision precision : config.precision()) {
                todo.add(new PathRun(config, data, initial.copy(), parts.createOptimizer(config,
                        initial.parameterCount()), path, precision, batchSeed, totalSteps));
            }
        }
        List<PathRun.Outcome> outcomes = new ArrayList<>();
        int pool = Math.min(threads, todo.size());
        if (pool <= 1) {
            for (PathRun r : todo) {
                outcomes.add(r.execute(hear));
            }
        } else {
            ExecutorService executor = Executors.newFixedThreadPool(pool, runnable -> {
                Thread t = new Thread(runnable, "softmaxlab-train");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<PathRun.Outcome>> futures = new ArrayList<>();
                for (PathRun r : todo) {
                    futures.add(executor.submit(() -> r.execute(hear)));
                }
                for (Future<PathRun.Outcome> f : futures) {
                    outcomes.add(f.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("training interrupted", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            } finally {
                executor.shutdownNow();
            }
        }
        List<TrainingRun> runs = new ArrayList<>();
        for (PathRun.Outcome o : outcomes) {
            runs.add(o.run());
            timing.put(o.run().id(), o.timing());
        }
        return runs;
    }
}
