package dev.softmaxlab.experiments.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.core.loss.LossOptions;
import dev.softmaxlab.core.loss.LossPath;
import dev.softmaxlab.core.loss.LossPaths;
import dev.softmaxlab.core.loss.Reduction;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import dev.softmaxlab.experiments.checks.Require;
import dev.softmaxlab.experiments.checks.SettingException;
import dev.softmaxlab.experiments.data.DataSettings;
import dev.softmaxlab.experiments.model.ModelPrecision;
import dev.softmaxlab.experiments.model.ModelSettings;
import dev.softmaxlab.experiments.optim.OptimizerSettings;
import java.util.List;
import java.util.Objects;

/**
 * The complete, resolved, typed configuration of a {@code train} invocation. Text becomes this record once, at the
 * edge, through {@link ConfigKeys} (flags, {@code --config} files, spec points and reports alike), and this record
 * becomes text again only there. The data, model and optimizer keys are their packages' own settings records, the
 * loss head's are core's {@link LossOptions}; each checks its ranges in its constructor. The defaults live in
 * {@link #DEFAULTS} (the loss head's in {@link LossOptions#DEFAULTS}).
 *
 * @param data        what data, how split
 * @param model       the model and its arithmetic
 * @param optimizer   the optimizer
 * @param batchSize   rows per step, ≥ 1
 * @param steps       optimizer steps per run, ≥ 1; ignored when {@code epochs} is set
 * @param epochs      passes over the training split; null = use {@code steps}
 * @param seed        root seed of data, split, initial weights and batch order
 * @param paths       the loss paths, in report order, distinct
 * @param precision   the loss head's compute formats, distinct
 * @param accumulate  the format bf16/fp16 sums accumulate in; null = {@link PrecisionSpec#defaultAccumulation}
 * @param loss        the loss head's options (label smoothing, clip ε, reduction, ...)
 * @param targets     sparse labels or dense one-hot rows
 * @param onNonfinite what a step with a non-finite loss or gradient does
 * @param logEvery    record every N-th step, ≥ 1
 * @param evalEvery   evaluate on the test split every N steps, ≥ 1
 */
public record TrainConfig(DataSettings data, ModelSettings model, OptimizerSettings optimizer, int batchSize,
                          int steps, Integer epochs, long seed, List<LossPath> paths, List<Precision> precision,
                          Precision accumulate, LossOptions loss, TargetKind targets, OnNonfinite onNonfinite,
                          int logEvery, int evalEvery) implements RunConfig {

    public static final TrainConfig DEFAULTS = new TrainConfig(
            new DataSettings("blobs", null, true, true, 0.25, 600, 3, 2, 3.0, 1.0, 0.0),
            new ModelSettings("linear", List.of(64), "relu", "he", 1.0, 1.0, ModelPrecision.FP64),
            new OptimizerSettings("sgd", 0.1, 0.0, 0.9, 0.9, 0.999, 1e-8),
            32, 300, null, 42L,
            LossPaths.defaults(), List.of(Precision.FP32), null, LossOptions.DEFAULTS, TargetKind.SPARSE,
            OnNonfinite.CONTINUE, 10, 50);

    /** Every key, in report order: {@link ConfigKeys}'s table. */
    public static final List<String> KEYS = ConfigKeys.NAMES;

    public TrainConfig {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(onNonfinite, "onNonfinite");
        Require.atLeast("batchSize", batchSize, 1);
        Require.atLeast("steps", steps, 1);
        if (epochs != null) {
            Require.atLeast("epochs", epochs, 1);
        }
        paths = List.copyOf(paths);
        precision = List.copyOf(precision);
        Require.distinct("paths", paths.stream().map(LossPath::id).toList(), ConfigKeys.PATH_IDS);
        Require.distinct("precision", precision.stream().map(Precision::id).toList(), ConfigKeys.PRECISION_IDS);
        if (accumulate != null) {
            for (Precision p : precision) {
                try {
                    new PrecisionSpec(p, accumulate); // its rule: a half format never accumulates in the other one
                } catch (InvalidInputException e) {
                    throw new SettingException("accumulate", -1, e.getMessage(), e);
                }
            }
        }
        try {
            LossPaths.headsFor(paths, loss); // an option none of the paths uses would change nothing: refused
        } catch (InvalidInputException e) {
            throw new SettingException("paths", -1, e.getMessage(), e);
        }
        if (loss.reduction() == Reduction.NONE) {
            throw Require.fail("reduction", "reduction = none: training needs one loss per batch; use mean or sum");
        }
        Require.atLeast("logEvery", logEvery, 1);
        Require.atLeast("evalEvery", evalEvery, 1);
    }

    /** The defaults overlaid with {@code overrides} (camelCase keys; null = none): {@link ConfigKeys#resolve}. */
    public static TrainConfig resolve(JsonNode overrides) {
        return ConfigKeys.resolve(overrides);
    }

    /** Jackson reads a config (e.g. a report's) through the same converter as everything else. */
    @JsonCreator
    static TrainConfig fromJson(JsonNode json) {
        return ConfigKeys.resolve(json);
    }

    /** The defaults as a JSON object, one field per key. */
    public static ObjectNode defaultsAsJson() {
        return DEFAULTS.toJson();
    }

    /**
     * The config object inside a JSON document: a report's {@code config}, or the document itself when it is a bare
     * config object. Returned as overrides for {@link #resolve(JsonNode)}.
     */
    public static JsonNode configOf(JsonNode document) {
        if (document != null && document.isObject() && document.has("schema") && document.has("config")) {
            return document.get("config");
        }
        return document;
    }

    /** The CLI flag of a key: {@code logitScale} is {@code --logit-scale}. */
    public static String flagOf(String key) {
        StringBuilder b = new StringBuilder("--");
        for (char c : key.toCharArray()) {
            if (Character.isUpperCase(c)) {
                b.append('-').append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** This config as a flat JSON object with every key, as reports and specs write it. */
    @JsonValue
    public ObjectNode toJson() {
        return ConfigKeys.toJson(this);
    }

    /** The loss head's compute and accumulation format of each precision, in order. */
    public List<PrecisionSpec> precisionSpecs() {
        return precision.stream().map(this::precisionSpec).toList();
    }

    /** {@code compute} with this config's accumulation: {@code accumulate} applies to bf16 and fp16 only. */
    public PrecisionSpec precisionSpec(Precision compute) {
        boolean half = compute == Precision.BF16 || compute == Precision.FP16;
        return half && accumulate != null ? new PrecisionSpec(compute, accumulate) : PrecisionSpec.of(compute);
    }

    /** The optimizer steps each run takes: {@code steps}, or {@code epochs} passes over {@code trainRows} rows. */
    public int stepsFor(int trainRows) {
        if (epochs == null) {
            return steps;
        }
        int batch = Math.min(batchSize, trainRows);
        long n = ((long) epochs * trainRows + batch - 1) / batch;
        if (n > Integer.MAX_VALUE) {
            throw new InvalidInputException("epochs = " + epochs + ": gives " + n + " steps, more than "
                    + Integer.MAX_VALUE + "; use fewer epochs");
        }
        return (int) n;
    }
}
