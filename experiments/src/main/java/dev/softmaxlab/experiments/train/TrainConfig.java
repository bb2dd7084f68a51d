package dev.softmaxlab.experiments.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.core.loss.LossPath;
import dev.softmaxlab.core.loss.LossPaths;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import dev.softmaxlab.experiments.data.Datasets;
import dev.softmaxlab.experiments.model.ModelPrecision;
import dev.softmaxlab.experiments.model.Models;
import dev.softmaxlab.experiments.optim.Optimizers;
import dev.softmaxlab.experiments.report.Json;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

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
        boolean header,            // csv only: line 1 names the columns (false: it is data, columns are 0, 1, ...)
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
            "blobs", null, true, true, 0.25, 600, 3, 2, 3.0, 1.0,
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

    /** Every key, in declaration order: the record's components, so the list can never drift from the record. */
    public static final List<String> KEYS = Arrays.stream(TrainConfig.class.getRecordComponents())
            .map(RecordComponent::getName).toList();

    /** Keys that may be null (meaning: the documented default behaviour). */
    private static final Set<String> NULLABLE = Set.of("labelColumn", "accumulate", "epochs");

    // valid values, from the packages that implement them
    public static final List<String> DATASETS =
            Stream.concat(Datasets.NAMES.stream(), Stream.of("csv:PATH")).toList();
    public static final List<String> MODELS = Models.MODELS;
    public static final List<String> ACTIVATIONS = Models.ACTIVATIONS;
    public static final List<String> INITS = Models.INITS;
    public static final List<String> MODEL_PRECISIONS =
            Arrays.stream(ModelPrecision.values()).map(ModelPrecision::id).toList();
    public static final List<String> OPTIMIZERS = Optimizers.NAMES;
    public static final List<String> PRECISIONS = Arrays.stream(Precision.values()).map(Precision::id).toList();
    public static final List<String> TARGETS = List.of("sparse", "dense");
    public static final List<String> REDUCTIONS = List.of("mean", "sum");
    public static final List<String> ON_NONFINITE = List.of("continue", "skip", "stop");

    /** The defaults as a JSON object, one field per key. */
    public static ObjectNode defaultsAsJson() {
        return Json.mapper().valueToTree(DEFAULTS);
    }

    /**
     * The defaults overlaid with {@code overrides} (a JSON object of camelCase keys; null = no overrides), validated.
     * A list-valued key also takes a single value ({@code "precision":"fp16"} is {@code ["fp16"]}).
     *
     * @throws InvalidInputException one line naming the key, the value and the fix: an unknown key (with the nearest
     *                               valid key), a wrong JSON type, or an invalid value
     */
    public static TrainConfig resolve(JsonNode overrides) {
        ObjectNode merged = defaultsAsJson();
        if (overrides != null && !overrides.isNull()) {
            if (!overrides.isObject()) {
                throw new InvalidInputException("a training config must be a JSON object of options, not "
                        + overrides.getNodeType().toString().toLowerCase(Locale.ROOT) + " (e.g. {\"lr\": 0.1})");
            }
            Iterator<Map.Entry<String, JsonNode>> fields = overrides.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                merged.set(field.getKey(), checkedValue(field.getKey(), field.getValue()));
            }
        }
        TrainConfig config = Json.mapper().convertValue(merged, TrainConfig.class);
        config.validate();
        return config;
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

    /** This config as a JSON object with every key. */
    public ObjectNode toJson() {
        return Json.mapper().valueToTree(this);
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

    // ---- validation --------------------------------------------------------------------------------------------

    /** Checks one override's key and JSON type; returns the value normalised (a single value becomes a list). */
    private static JsonNode checkedValue(String key, JsonNode value) {
        if (!KEYS.contains(key)) {
            String hint = NearestName.suggest(key, KEYS).map(s -> ": did you mean '" + s + "'?")
                    .orElse(": valid options are " + String.join(", ", KEYS));
            throw new InvalidInputException("unknown option '" + key + "'" + hint);
        }
        if (value == null || value.isNull()) {
            if (NULLABLE.contains(key)) {
                return NullNode.getInstance();
            }
            throw new InvalidInputException(key + " = null: a value is required (default "
                    + defaultsAsJson().get(key) + ")");
        }
        Class<?> type = componentType(key);
        if (type == String.class) {
            if (key.equals("labelColumn") && value.isIntegralNumber() && value.canConvertToInt()) {
                return TextNode.valueOf(value.asText()); // a column index
            }
            return require(key, value, value.isTextual(), "a string");
        }
        if (type == boolean.class) {
            return require(key, value, value.isBoolean(), "true or false");
        }
        if (type == double.class) {
            return require(key, value, value.isNumber(), "a number");
        }
        if (type == int.class || type == Integer.class) {
            return require(key, value, isWhole(value) && fitsInt(value), "a whole number");
        }
        if (type == long.class) {
            return require(key, value, isWhole(value) && value.canConvertToLong(), "a whole number");
        }
        // a list: of whole numbers (hidden) or of strings (paths, precision)
        boolean ofInts = key.equals("hidden");
        ArrayNode list = value.isArray() ? (ArrayNode) value : JsonNodeFactory.instance.arrayNode().add(value);
        for (JsonNode e : list) {
            boolean ok = ofInts ? isWhole(e) && fitsInt(e) : e.isTextual();
            require(key, value, ok, ofInts ? "a list of whole numbers, e.g. [64, 64]" : "a list of strings, e.g. "
                    + defaultsAsJson().get(key));
        }
        return list;
    }

    private static JsonNode require(String key, JsonNode value, boolean ok, String expected) {
        if (!ok) {
            throw new InvalidInputException(key + " = " + value + ": must be " + expected);
        }
        return value;
    }

    private static boolean isWhole(JsonNode v) {
        return v.isIntegralNumber() || (v.isNumber() && Double.isFinite(v.doubleValue())
                && v.doubleValue() == Math.rint(v.doubleValue()));
    }

    private static boolean fitsInt(JsonNode v) {
        double d = v.doubleValue();
        return v.isIntegralNumber() ? v.canConvertToInt() : d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE;
    }

    private static Class<?> componentType(String key) {
        for (RecordComponent c : TrainConfig.class.getRecordComponents()) {
            if (c.getName().equals(key)) {
                return c.getType();
            }
        }
        throw new IllegalStateException(key);
    }

    /** Value checks; each failure names the key, the value and the fix. */
    private void validate() {
        if (dataset.equals("csv:")) {
            throw new InvalidInputException(
                    "dataset = 'csv:': name the file after 'csv:', e.g. csv:data/measurements.csv");
        }
        if (!(Datasets.NAMES.contains(dataset) || dataset.startsWith("csv:"))) {
            throw oneOf("dataset", dataset, DATASETS);
        }
        range("testFraction", testFraction, 0, false, 1, false, "0.25");
        atLeast("samples", samples, 2);
        atLeast("classes", classes, 2);
        atLeast("dimensions", dimensions, 1);
        range("separation", separation, 0, true, Double.POSITIVE_INFINITY, false, "3");
        range("noise", noise, 0, true, Double.POSITIVE_INFINITY, false, "1");
        member("model", model, MODELS);
        if (hidden.isEmpty()) {
            throw new InvalidInputException("hidden = []: needs at least one layer size, e.g. [64]");
        }
        for (int h : hidden) {
            if (h < 1) {
                throw new InvalidInputException(
                        "hidden = " + hidden + ": every layer size must be >= 1, e.g. [64, 64]");
            }
        }
        member("activation", activation, ACTIVATIONS);
        member("init", init, INITS);
        range("initScale", initScale, 0, false, Double.POSITIVE_INFINITY, false, "1");
        range("logitScale", logitScale, 0, false, Double.POSITIVE_INFINITY, false, "1");
        member("modelPrecision", modelPrecision, MODEL_PRECISIONS);
        member("optimizer", optimizer, OPTIMIZERS);
        range("lr", lr, 0, false, Double.POSITIVE_INFINITY, false, "0.1");
        range("weightDecay", weightDecay, 0, true, Double.POSITIVE_INFINITY, false, "0");
        range("momentum", momentum, 0, true, 1, false, "0.9");
        range("beta1", beta1, 0, true, 1, false, "0.9");
        range("beta2", beta2, 0, true, 1, false, "0.999");
        range("adamEps", adamEps, 0, false, Double.POSITIVE_INFINITY, false, "1e-8");
        atLeast("batchSize", batchSize, 1);
        atLeast("steps", steps, 1);
        if (epochs != null) {
            atLeast("epochs", epochs, 1);
        }
        distinctMembers("paths", paths, PATH_IDS);
        distinctMembers("precision", precision, PRECISIONS);
        if (accumulate != null) {
            member("accumulate", accumulate, PRECISIONS);
            for (String p : precision) {
                // the same rule PrecisionSpec enforces, checked here so a bad config fails before any run starts
                new PrecisionSpec(Precision.fromId(p), Precision.fromId(accumulate));
            }
        }
        range("labelSmoothing", labelSmoothing, 0, true, 1, false, "0.1");
        member("targets", targets, TARGETS);
        range("eps", eps, 0, false, 0.5, false, "1e-7");
        if ("none".equals(reduction)) {
            throw new InvalidInputException("reduction = none: training needs one loss per batch; use mean or sum");
        }
        member("reduction", reduction, REDUCTIONS);
        member("onNonfinite", onNonfinite, ON_NONFINITE);
        atLeast("logEvery", logEvery, 1);
        atLeast("evalEvery", evalEvery, 1);
    }

    /** The loss path ids the training loop accepts, in report order: core's registry. */
    public static final List<String> PATH_IDS = LossPaths.all().stream().map(LossPath::id).toList();

    private static void member(String key, String value, List<String> valid) {
        if (!valid.contains(value)) {
            throw oneOf(key, value, valid);
        }
    }

    private static InvalidInputException oneOf(String key, String value, List<String> valid) {
        return new InvalidInputException(key + " = '" + value + "': expected one of " + String.join(", ", valid)
                + NearestName.hint(value, valid));
    }

    private static void distinctMembers(String key, List<String> values, List<String> valid) {
        if (values.isEmpty()) {
            throw new InvalidInputException(key + " = []: needs at least one of " + String.join(", ", valid));
        }
        Set<String> seen = new HashSet<>();
        for (String v : values) {
            member(key, v, valid);
            if (!seen.add(v)) {
                throw new InvalidInputException(key + " = " + values + ": '" + v + "' is listed twice; list it once");
            }
        }
    }

    private static void atLeast(String key, int value, int min) {
        if (value < min) {
            throw new InvalidInputException(key + " = " + value + ": must be >= " + min);
        }
    }

    private static void range(String key, double value, double lo, boolean loIncluded, double hi,
                              boolean hiIncluded, String example) {
        boolean ok = Double.isFinite(value) && (loIncluded ? value >= lo : value > lo)
                && (hiIncluded ? value <= hi : value < hi);
        if (!ok) {
            String bounds = (loIncluded ? "in [" : "in (") + fmt(lo) + ", " + fmt(hi) + (hiIncluded ? "]" : ")");
            if (hi == Double.POSITIVE_INFINITY) {
                bounds = (loIncluded ? ">= " : "> ") + fmt(lo);
            }
            throw new InvalidInputException(key + " = " + fmt(value) + ": must be a finite number " + bounds
                    + ", e.g. " + example);
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
