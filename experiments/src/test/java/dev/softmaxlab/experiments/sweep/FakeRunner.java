package dev.softmaxlab.experiments.sweep;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.experiments.config.TrainConfig;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A stand-in for the trainer, so the sweep machinery is tested on its own: a report whose summaries are simple,
 * known functions of the config ({@code separate-naive} breaks at step 3 when {@code logitScale ≥ 100}, with a NaN
 * final loss; every other path's final loss is {@code lr / logitScale}). Counts its calls and can fail chosen
 * configs.
 */
final class FakeRunner implements RunExecutor {

    final AtomicInteger calls = new AtomicInteger();
    final List<TrainConfig> seen = new CopyOnWriteArrayList<>();
    private final Predicate<TrainConfig> fails;

    FakeRunner() {
        this(c -> false);
    }

    FakeRunner(Predicate<TrainConfig> fails) {
        this.fails = fails;
    }

    @Override
    public ObjectNode run(TrainConfig config) {
        calls.incrementAndGet();
        seen.add(config);
        if (fails.test(config)) {
            throw new IllegalStateException("fake failure at logitScale " + config.model().logitScale());
        }
        return report(config);
    }

    static ObjectNode report(TrainConfig config) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode r = f.objectNode();
        r.put("schema", "softmaxlab.report/1");
        r.putObject("tool").put("name", "softmaxlab").put("version", "test");
        ObjectNode prov = r.putObject("provenance");
        prov.put("toolVersion", "test").putArray("commandLine").add("fake");
        prov.put("javaVendor", "v").put("javaVersion", "17").put("osName", "os").put("osVersion", "1")
                .put("osArch", "x").put("startTime", "2026-01-01T00:00:00Z");
        r.set("config", config.toJson());
        r.putObject("data").put("rows", 600).put("trainRows", 450).put("testRows", 150).put("features", 2)
                .put("classes", 3).putArray("classNames").add("0").add("1").add("2");
        ArrayNode runs = r.putArray("runs");
        ObjectNode timing = r.putObject("timing");
        for (String path : config.paths().stream().map(p -> p.id()).toList()) {
            for (String precision : config.precision().stream().map(p -> p.id()).toList()) {
                String id = path + "@" + precision;
                ObjectNode run = runs.addObject();
                run.put("id", id).put("path", path).put("precision", precision)
                        .put("accumulate", config.accumulate() == null ? "fp32" : config.accumulate().id());
                run.putArray("steps");
                run.putArray("evals");
                boolean breaks = path.equals("separate-naive") && config.model().logitScale() >= 100;
                ObjectNode s = run.putObject("summary");
                s.put("status", "completed").put("stepsRun", config.steps());
                s.put("finalTrainLoss", breaks ? Double.NaN : config.optimizer().lr() / config.model().logitScale());
                s.put("finalTrainAccuracy", breaks ? 0.0 : 0.95);
                s.put("finalTestLoss", breaks ? Double.NaN : 2 * config.optimizer().lr() / config.model().logitScale());
                s.put("finalTestAccuracy", breaks ? 0.0 : 0.9);
                if (breaks) {
                    s.put("firstNonFiniteStep", 3);
                } else {
                    s.putNull("firstNonFiniteStep");
                }
                s.put("skippedSteps", 0).put("totalNonFinite", breaks ? 10 : 0);
                s.put("finalMeanLse", breaks ? Double.NaN : 2.5).put("maxMeanLse", breaks ? Double.NaN : 3.0);
                s.put("maxAbsLogitMax", breaks ? Double.NaN : 4.0);
                ObjectNode e = s.putObject("events");
                for (String k : List.of("expOverflow", "expUnderflow", "subnormal", "logOfZero", "divByZero",
                        "infOverInf", "zeroTimesInf", "infMinusInf", "clipped", "saturated")) {
                    e.put(k, k.equals("expOverflow") && breaks ? 5 : 0);
                }
                e.putObject("loss").put("nan", breaks ? 5 : 0).put("posInf", 0).put("negInf", 0);
                e.putObject("gradient").put("nan", breaks ? 5 : 0).put("posInf", 0).put("negInf", 0);
                timing.putObject(id).put("wallSeconds", Math.random()).put("stepsPerSecond", 1000 * Math.random());
            }
        }
        return r;
    }
}
