package dev.softmaxlab.experiments.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.experiments.report.Json;
import java.util.List;

/**
 * The complete, resolved configuration of a {@code train} invocation: one record, one home for every default
 * ({@link #DEFAULTS}). Field names are the {@code train} flags' long names in camelCase ({@code --logit-scale} is
 * {@code logitScale}), and the same keys are used in spec files and in a report's {@code config}, so a user moves
 * between flags, specs and reports without a dictionary. Feeding a report's {@code config} back reproduces its runs.
 *
 * <p>Overrides are applied with {@link #resolve(JsonNode)}: the defaults as a JSON object, overlaid key by key.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder(alphabetic = false)
public record TrainConfig(
        // data
        String dataset,            // blobs | spiral | iris | digits | csv:PATH
        String labelColumn,        // csv only: NAME or 0-based INDEX; null = last column
        boolean standardize,       // z-score features with the training split's mean and std
        double testFraction,       // stratified test share in (0, 1)
        int samples,               // blobs/spiral: total rows
        int classes,               // blobs/spiral: K (spiral arms)
        int dimensions,            // blobs: D
        double separation,         // blobs: distance scale between class centres
        double noise,              // blobs/spiral: noise standard deviation
        // model
        String model,              // linear | mlp
        List<Integer> hidden,      // mlp hidden sizes
        String activation,         // relu | tanh
        String init,               // he | xavier
        double initScale,          // multiplies the initial weights
        double logitScale,         // multiplies the logits before the loss (temperature knob)
        String modelPrecision,     // fp64 | fp32: the model's own arithmetic
        // optimizer
        String optimizer,          // sgd | momentum | adam
        double lr,
        double weightDecay,
        double momentum,
        double beta1,
        double beta2,
        double adamEps,
        int batchSize,
        int steps,                 // ignored when epochs is set
        Integer epochs,            // null = use steps
        long seed,
        // loss head
        List<String> paths,        // loss path ids, in report order
        List<String> precision,    // loss precisions: fp64 | fp32 | bf16 | fp16
        String accumulate,         // accumulation precision for bf16/fp16; null = default (fp32)
        double labelSmoothing,
        String targets,            // sparse | dense
        double eps,                // clip ε of separate-clipped
        String reduction,          // mean | sum
        String onNonfinite,        // continue | skip | stop
        // recording
        int logEvery,
        int evalEvery) {

    public static final TrainConfig DEFAULTS = new TrainConfig(
            "blobs", null, true, 0.25, 600, 3, 2, 3.0, 1.0,
            "linear", List.of(64), "relu", "he", 1.0, 1.0, "fp64",
            "sgd", 0.1, 0.0, 0.9, 0.9, 0.999, 1e-8, 32, 300, null, 42L,
            List.of("fused", "separate", "separate-naive", "separate-clipped"), List.of("fp32"), null, 0.0, "sparse",
            1e-7, "mean", "continue",
            10, 50);

    public TrainConfig {
        hidden = hidden == null ? null : List.copyOf(hidden);
        paths = paths == null ? null : List.copyOf(paths);
        precision = precision == null ? null : List.copyOf(precision);
    }

    /** The defaults as a JSON object, one field per key. */
    public static ObjectNode defaultsAsJson() {
        return Json.mapper().valueToTree(DEFAULTS);
    }

    /**
     * The defaults overlaid with {@code overrides} (a JSON object of camelCase keys). Unknown keys, wrong types and
     * invalid values are user errors. TODO(train): validation with one-line messages and nearest-key suggestions.
     */
    public static TrainConfig resolve(JsonNode overrides) {
        ObjectNode merged = defaultsAsJson();
        if (overrides != null) {
            merged.setAll((ObjectNode) overrides);
        }
        return Json.mapper().convertValue(merged, TrainConfig.class);
    }

    /** This config as a JSON object with every key. */
    public ObjectNode toJson() {
        return Json.mapper().valueToTree(this);
    }
}
