package dev.softmaxlab.experiments.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.core.loss.ClassWeights;
import dev.softmaxlab.core.loss.LossOption;
import dev.softmaxlab.core.loss.LossOptions;
import dev.softmaxlab.core.loss.LossPath;
import dev.softmaxlab.core.loss.LossPaths;
import dev.softmaxlab.core.loss.Reduction;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.experiments.checks.Needs;
import dev.softmaxlab.experiments.checks.Require;
import dev.softmaxlab.experiments.checks.SettingException;
import dev.softmaxlab.experiments.data.DataSettings;
import dev.softmaxlab.experiments.model.ModelPrecision;
import dev.softmaxlab.experiments.model.ModelSettings;
import dev.softmaxlab.experiments.names.NearestName;
import dev.softmaxlab.experiments.optim.OptimizerSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The one converter between text and {@link TrainConfig}: one entry per key ({@link #KEYS}), its JSON kind, whether
 * it may be null, and how to read it from the record. Flags (as JSON), {@code --config} files, spec points and
 * reports all pass through {@link #resolve}; reports and specs are written by {@link #toJson}. The key-type check
 * ({@link #typeProblem}) is the only one in the tool: a single value where a list is expected is a one-element list
 * everywhere.
 *
 * <p>A new loss option (a {@link LossOptions} component with a {@code withX} method) is one {@link #lossNumber} or
 * {@link #lossKey} line in {@link #KEYS}; its default comes from {@link LossOptions#DEFAULTS}, its flag appears in
 * {@code train} by itself, and specs and reports take it by the same name.
 */
public final class ConfigKeys {

    /** The JSON shape of a key's value. */
    public enum Kind {
        TEXT("a string"), BOOLEAN("true or false"), NUMBER("a number"), INTEGER("a whole number"),
        INTEGER_LIST("a list of whole numbers, e.g. [64, 64]"), TEXT_LIST("a list of strings"),
        NUMBER_LIST("a list of numbers, e.g. [1, 0.5]");

        private final String expected;

        Kind(String expected) {
            this.expected = expected;
        }

        public String expected() {
            return expected;
        }

        public boolean numeric() {
            return this == NUMBER || this == INTEGER;
        }

        public boolean list() {
            return this == INTEGER_LIST || this == TEXT_LIST || this == NUMBER_LIST;
        }
    }

    /**
     * One key.
     *
     * @param name     camelCase; the flag is its kebab-case form
     * @param kind     its JSON shape
     * @param nullable whether null is a value (the documented default behaviour)
     * @param value    the key's value in a config, as plain JSON-ready Java (ids for enums)
     * @param intoLoss for a loss-head key: how the value enters {@link LossOptions}; else null
     */
    public record Key(String name, Kind kind, boolean nullable, Function<TrainConfig, Object> value,
                      BiFunction<LossOptions, JsonNode, LossOptions> intoLoss) {
    }

    /** A value of the wrong JSON type: {@code at} is "" for the value itself or "[i]" for a list element. */
    public record TypeProblem(String at, String message) {
    }

    /** The path ids, from core's registry, in report order. */
    public static final List<String> PATH_IDS = LossPaths.all().stream().map(LossPath::id).toList();
    public static final List<String> PRECISION_IDS = Arrays.stream(Precision.values()).map(Precision::id).toList();
    public static final List<String> MODEL_PRECISION_IDS =
            Arrays.stream(ModelPrecision.values()).map(ModelPrecision::id).toList();
    /** The reductions training accepts: one loss per batch ({@code none} is probe's). */
    public static final List<String> TRAIN_REDUCTIONS = List.of(Reduction.MEAN.id(), Reduction.SUM.id());

    private static final List<Key> KEYS = List.of(
            // data
            text("dataset", c -> c.data().dataset()),
            key("labelColumn", Kind.TEXT, true, c -> c.data().labelColumn()),
            key("header", Kind.BOOLEAN, false, c -> c.data().header()),
            key("standardize", Kind.BOOLEAN, false, c -> c.data().standardize()),
            number("testFraction", c -> c.data().testFraction()),
            integer("samples", c -> c.data().samples()),
            integer("classes", c -> c.data().classes()),
            integer("dimensions", c -> c.data().dimensions()),
            number("separation", c -> c.data().separation()),
            number("noise", c -> c.data().noise()),
            number("padFraction", c -> c.data().padFraction()),
            // model
            text("model", c -> c.model().model()),
            key("hidden", Kind.INTEGER_LIST, false, c -> c.model().hidden()),
            text("activation", c -> c.model().activation()),
            text("init", c -> c.model().init()),
            number("initScale", c -> c.model().initScale()),
            number("logitScale", c -> c.model().logitScale()),
            text("modelPrecision", c -> c.model().precision().id()),
            // optimizer
            text("optimizer", c -> c.optimizer().name()),
            number("lr", c -> c.optimizer().lr()),
            number("weightDecay", c -> c.optimizer().weightDecay()),
            number("momentum", c -> c.optimizer().momentum()),
            number("beta1", c -> c.optimizer().beta1()),
            number("beta2", c -> c.optimizer().beta2()),
            number("adamEps", c -> c.optimizer().adamEps()),
            integer("batchSize", TrainConfig::batchSize),
            integer("steps", TrainConfig::steps),
            key("epochs", Kind.INTEGER, true, TrainConfig::epochs),
            integer("seed", TrainConfig::seed),
            // loss head
            key("paths", Kind.TEXT_LIST, false, c -> c.paths().stream().map(LossPath::id).toList()),
            key("precision", Kind.TEXT_LIST, false, c -> c.precision().stream().map(Precision::id).toList()),
            key("accumulate", Kind.TEXT, true, c -> c.accumulate() == null ? null : c.accumulate().id()),
            lossNumber("labelSmoothing", LossOptions::labelSmoothing, LossOptions::withLabelSmoothing),
            text("targets", c -> c.targets().id()),
            lossNumber("eps", LossOptions::clipEpsilon, LossOptions::withClipEpsilon),
            lossKey("ignoreIndex", Kind.INTEGER, false, LossOptions::ignoreIndex,
                    (o, v) -> o.withIgnoreIndex(v.intValue())),
            lossKey("classWeights", Kind.NUMBER_LIST, true,
                    o -> o.classWeights().isUniform() ? null
                            : Arrays.stream(o.classWeights().toArray()).boxed().toList(),
                    (o, v) -> o.withClassWeights(v.isNull() ? ClassWeights.UNIFORM : ClassWeights.of(doubles(v)))),
            lossNumber("zLoss", LossOptions::zLoss, LossOptions::withZLoss),
            lossKey("softcap", Kind.NUMBER, true,
                    o -> o.softcap().isPresent() ? (Object) o.softcap().getAsDouble() : null,
                    (o, v) -> v.isNull() ? o.withoutSoftcap() : o.withSoftcap(v.doubleValue())),
            lossKey("chunkSize", Kind.INTEGER, false, LossOptions::chunkSize, (o, v) -> o.withChunkSize(v.intValue())),
            lossKey("chunkCarry", Kind.TEXT, true, o -> o.chunkCarry().map(Precision::id).orElse(null),
                    (o, v) -> v.isNull() ? o.without(LossOption.CHUNK_CARRY)
                            : o.withChunkCarry(precision("chunkCarry", v.textValue()))),
            new Key("reduction", Kind.TEXT, false, c -> c.loss().reduction().id(),
                    (loss, v) -> loss.withReduction(reduction(v.textValue()))),
            text("onNonfinite", c -> c.onNonfinite().id()),
            // recording
            integer("logEvery", TrainConfig::logEvery),
            integer("evalEvery", TrainConfig::evalEvery));

    /** Every key name, in report order. */
    public static final List<String> NAMES = KEYS.stream().map(Key::name).toList();

    private static final Map<String, Key> BY_NAME = byName();

    private ConfigKeys() {
    }

    public static List<Key> all() {
        return KEYS;
    }

    public static Optional<Key> get(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    // ---- text -> config ---------------------------------------------------------------------------------------

    /**
     * The defaults overlaid with {@code overrides} (a JSON object of camelCase keys; null = no overrides), checked.
     *
     * @throws InvalidInputException one line naming the key, the value and the fix: an unknown key (with the nearest
     *                               valid key), a wrong JSON type, or an invalid value
     */
    public static TrainConfig resolve(JsonNode overrides) {
        ObjectNode merged = toJson(TrainConfig.DEFAULTS);
        if (overrides != null && !overrides.isNull()) {
            if (!overrides.isObject()) {
                throw new InvalidInputException("a training config must be a JSON object of options, not "
                        + overrides.getNodeType().toString().toLowerCase(Locale.ROOT) + " (e.g. {\"lr\": 0.1})");
            }
            Iterator<Map.Entry<String, JsonNode>> fields = overrides.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                Key key = known(field.getKey());
                JsonNode value = field.getValue();
                if (value == null || value.isNull()) {
                    if (!key.nullable()) {
                        throw new InvalidInputException(key.name() + " = null: a value is required (default "
                                + merged.get(key.name()) + ")");
                    }
                } else {
                    typeProblem(key, value).ifPresent(p -> {
                        throw new InvalidInputException(p.message());
                    });
                }
                merged.set(key.name(), normalized(key, value));
            }
        }
        return fromJson(merged);
    }

    /**
     * A flag's text as the key's JSON value, for {@link #resolve}: a number, a whole number, true or false, text, or
     * a comma list for a list key. Text that is not of the key's kind is refused as a JSON value of the wrong kind
     * would be ({@code steps = "abc": must be a whole number}).
     */
    public static JsonNode fromText(Key key, String text) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        String t = text.strip();
        JsonNode asText = f.textNode(t);
        return switch (key.kind()) {
            case TEXT -> asText;
            case BOOLEAN -> t.equalsIgnoreCase("true") ? f.booleanNode(true)
                    : t.equalsIgnoreCase("false") ? f.booleanNode(false) : asText;
            case NUMBER -> {
                try {
                    yield f.numberNode(Double.parseDouble(t));
                } catch (NumberFormatException e) {
                    yield asText; // the type check names it
                }
            }
            case INTEGER -> {
                try {
                    yield f.numberNode(Long.parseLong(t));
                } catch (NumberFormatException e) {
                    yield asText;
                }
            }
            case INTEGER_LIST, TEXT_LIST, NUMBER_LIST -> {
                var list = f.arrayNode();
                for (String part : t.split(",", -1)) {
                    String p = part.strip();
                    try {
                        switch (key.kind()) {
                            case TEXT_LIST -> list.add(p);
                            case INTEGER_LIST -> list.add(f.numberNode(Long.parseLong(p)));
                            default -> list.add(f.numberNode(Double.parseDouble(p)));
                        }
                    } catch (NumberFormatException e) {
                        list.add(p); // the type check names it
                    }
                }
                yield list;
            }
        };
    }

    /** The key named {@code name}, or an error naming the nearest key. */
    public static Key known(String name) {
        Key key = BY_NAME.get(name);
        if (key == null) {
            String hint = NearestName.suggest(name, NAMES).map(s -> ": did you mean '" + s + "'?")
                    .orElse(": valid options are " + String.join(", ", NAMES));
            throw new InvalidInputException("unknown option '" + name + "'" + hint);
        }
        return key;
    }

    /**
     * The one key-type check: whether {@code value} (not null) has the key's JSON shape. A list key also takes a
     * single element; {@code labelColumn} also takes a column index; a whole number may be written 64.0.
     */
    public static Optional<TypeProblem> typeProblem(Key key, JsonNode value) {
        String name = key.name();
        boolean ok = switch (key.kind()) {
            case TEXT -> value.isTextual() || name.equals("labelColumn") && value.isIntegralNumber()
                    && value.canConvertToInt();
            case BOOLEAN -> value.isBoolean();
            case NUMBER -> value.isNumber();
            case INTEGER -> isWhole(value) && (name.equals("seed") ? value.canConvertToLong() : fitsInt(value));
            case INTEGER_LIST, TEXT_LIST, NUMBER_LIST -> true;
        };
        if (!ok) {
            return Optional.of(new TypeProblem("", name + " = " + value + ": must be " + key.kind().expected()));
        }
        if (key.kind().list()) {
            List<JsonNode> elements = new ArrayList<>();
            if (value.isArray()) {
                value.forEach(elements::add);
            } else {
                elements.add(value);
            }
            for (int i = 0; i < elements.size(); i++) {
                JsonNode e = elements.get(i);
                boolean good = switch (key.kind()) {
                    case TEXT_LIST -> e.isTextual();
                    case NUMBER_LIST -> e.isNumber();
                    default -> isWhole(e) && fitsInt(e);
                };
                if (!good) {
                    String example = key.kind() == Kind.TEXT_LIST
                            ? ", e.g. " + toJson(TrainConfig.DEFAULTS).get(name) : "";
                    return Optional.of(new TypeProblem(value.isArray() ? "[" + i + "]" : "",
                            name + " = " + value + ": must be " + key.kind().expected() + example));
                }
            }
        }
        return Optional.empty();
    }

    /** A value of the right type in its one stored form: a single element becomes a list, a column index text. */
    private static JsonNode normalized(Key key, JsonNode value) {
        if (value == null || value.isNull()) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (key.kind().list() && !value.isArray()) {
            return JsonNodeFactory.instance.arrayNode().add(value);
        }
        if (key.name().equals("labelColumn") && value.isNumber()) {
            return TextNode.valueOf(value.asText());
        }
        return value;
    }

    /** Builds the record from a complete, type-checked JSON object; each constructor checks its own ranges. */
    private static TrainConfig fromJson(ObjectNode m) {
        DataSettings data = new DataSettings(m.get("dataset").textValue(), textOrNull(m, "labelColumn"),
                m.get("header").booleanValue(), m.get("standardize").booleanValue(), m.get("testFraction").doubleValue(), m.get("samples").intValue(),
                m.get("classes").intValue(), m.get("dimensions").intValue(), m.get("separation").doubleValue(),
                m.get("noise").doubleValue(), m.get("padFraction").doubleValue());
        ModelSettings model = new ModelSettings(m.get("model").textValue(), ints(m.get("hidden")),
                m.get("activation").textValue(), m.get("init").textValue(), m.get("initScale").doubleValue(),
                m.get("logitScale").doubleValue(), modelPrecision(m.get("modelPrecision").textValue()));
        OptimizerSettings optimizer = new OptimizerSettings(m.get("optimizer").textValue(), m.get("lr").doubleValue(),
                m.get("weightDecay").doubleValue(), m.get("momentum").doubleValue(), m.get("beta1").doubleValue(),
                m.get("beta2").doubleValue(), m.get("adamEps").doubleValue());
        List<LossPath> paths = new ArrayList<>();
        List<String> pathIds = texts(m.get("paths"));
        for (int i = 0; i < pathIds.size(); i++) {
            Require.elementOneOf("paths", i, pathIds.get(i), PATH_IDS);
            paths.add(LossPaths.byId(pathIds.get(i)));
        }
        List<Precision> precision = new ArrayList<>();
        List<String> precisionIds = texts(m.get("precision"));
        for (int i = 0; i < precisionIds.size(); i++) {
            Require.elementOneOf("precision", i, precisionIds.get(i), PRECISION_IDS);
            precision.add(Precision.fromId(precisionIds.get(i)));
        }
        String accumulate = textOrNull(m, "accumulate");
        TargetKind targets = TargetKind.fromId("targets", m.get("targets").textValue());
        LossOptions loss = LossOptions.DEFAULTS;
        for (Key key : KEYS) {
            if (key.intoLoss() != null) {
                loss = key.intoLoss().apply(loss, m.get(key.name()));
            }
        }
        OnNonfinite onNonfinite = OnNonfinite.fromId("onNonfinite", m.get("onNonfinite").textValue());
        JsonNode epochs = m.get("epochs");
        return new TrainConfig(data, model, optimizer, m.get("batchSize").intValue(), m.get("steps").intValue(),
                epochs.isNull() ? null : epochs.intValue(), m.get("seed").longValue(), paths, precision,
                accumulate == null ? null : precision("accumulate", accumulate), loss, targets, onNonfinite,
                m.get("logEvery").intValue(), m.get("evalEvery").intValue());
    }

    // ---- config -> text ---------------------------------------------------------------------------------------

    /** Every key, in order, as reports and specs write them. */
    public static ObjectNode toJson(TrainConfig c) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        for (Key key : KEYS) {
            o.set(key.name(), node(key.value().apply(c)));
        }
        return o;
    }

    // ---- options that change nothing --------------------------------------------------------------------------

    /**
     * What {@code key} would need to change anything in {@code config}, or null when it applies: the data, model and
     * optimizer settings answer for their keys; {@code accumulate} needs a half-format precision.
     */
    public static Needs needs(TrainConfig config, String key) {
        Needs n = config.data().needs(key);
        if (n == null) {
            n = config.model().needs(key);
        }
        if (n == null) {
            n = config.optimizer().needs(key);
        }
        if (n == null && key.equals("padFraction") && config.targets() == TargetKind.DENSE) {
            n = new Needs("targets", "sparse"); // an ignore index is a label: dense targets have none
        }
        if (n == null && key.equals("accumulate") && config.precision().stream()
                .noneMatch(p -> p == Precision.BF16 || p == Precision.FP16)) {
            n = new Needs("precision", "bf16 or fp16");
        }
        return n;
    }

    /**
     * The first of the {@code given} keys that changes nothing in {@code config}, as one line worded with
     * {@code name} (e.g. {@link TrainConfig#flagOf} for flags): {@code --momentum needs --optimizer momentum, not
     * sgd}. Empty when every given key applies.
     */
    public static Optional<String> inapplicable(TrainConfig config, Collection<String> given,
                                                UnaryOperator<String> name) {
        for (String key : given) {
            Needs n = needs(config, key);
            if (n != null) {
                return Optional.of(inapplicableMessage(config, key, n, name));
            }
        }
        return Optional.empty();
    }

    /** {@code --momentum needs --optimizer momentum, not sgd: it changes nothing here; drop it or set ...}. */
    public static String inapplicableMessage(TrainConfig config, String key, Needs n, UnaryOperator<String> name) {
        JsonNode actual = toJson(config).get(n.key());
        String now = actual.isArray() ? String.join(",", texts(actual)) : actual.asText();
        return name.apply(key) + " needs " + name.apply(n.key()) + " " + n.values() + ", not " + now
                + ": it changes nothing here; drop it or set " + name.apply(n.key());
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /**
     * A loss-head key of any kind: read from {@link LossOptions} by {@code get}, written into it by {@code with}
     * (given the type-checked JSON value, a JSON null for a nullable key left at its default), whose constructor
     * checks it; its message is prefixed with the key. E.g. for an integer option that may be absent:
     * {@code lossKey("ignoreIndex", Kind.INTEGER, true, LossOptions::ignoreIndex,
     * (o, v) -> o.withIgnoreIndex(v.isNull() ? null : v.intValue()))}.
     */
    static Key lossKey(String name, Kind kind, boolean nullable, Function<LossOptions, Object> get,
                       BiFunction<LossOptions, JsonNode, LossOptions> with) {
        return new Key(name, kind, nullable, c -> get.apply(c.loss()), (loss, v) -> {
            try {
                return with.apply(loss, v);
            } catch (InvalidInputException e) {
                throw new SettingException(name, -1, name + ": " + e.getMessage(), e);
            }
        });
    }

    private static Key key(String name, Kind kind, boolean nullable, Function<TrainConfig, Object> value) {
        return new Key(name, kind, nullable, value, null);
    }

    private static Key text(String name, Function<TrainConfig, Object> value) {
        return key(name, Kind.TEXT, false, value);
    }

    private static Key number(String name, Function<TrainConfig, Object> value) {
        return key(name, Kind.NUMBER, false, value);
    }

    private static Key integer(String name, Function<TrainConfig, Object> value) {
        return key(name, Kind.INTEGER, false, value);
    }

    /**
     * A numeric loss-head key: read from and written into {@link LossOptions}, whose constructor checks it; its
     * message is prefixed with the key so the user knows which one to fix.
     */
    private static Key lossNumber(String name, Function<LossOptions, Double> get,
                                  BiFunction<LossOptions, Double, LossOptions> with) {
        return lossKey(name, Kind.NUMBER, false, get::apply, (loss, v) -> with.apply(loss, v.doubleValue()));
    }

    private static double[] doubles(JsonNode list) {
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i).doubleValue();
        }
        return out;
    }

    /** A key's plain Java value as JSON: text, boolean, number, null or a list of those. */
    private static JsonNode node(Object v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (v == null) {
            return f.nullNode();
        }
        if (v instanceof List<?> list) {
            var a = f.arrayNode();
            list.forEach(e -> a.add(node(e)));
            return a;
        }
        if (v instanceof double[] values) {
            var a = f.arrayNode();
            for (double x : values) {
                a.add(x);
            }
            return a;
        }
        if (v instanceof Enum<?> e) {
            return f.textNode(e.toString()); // the project's enums print their ids
        }
        if (v instanceof Double d) {
            return f.numberNode(d);
        }
        if (v instanceof Integer i) {
            return f.numberNode(i);
        }
        if (v instanceof Long l) {
            return f.numberNode(l);
        }
        if (v instanceof Boolean b) {
            return f.booleanNode(b);
        }
        if (v instanceof String s) {
            return f.textNode(s);
        }
        throw new IllegalStateException("a config value of type " + v.getClass());
    }

    private static Reduction reduction(String id) {
        if (Reduction.NONE.id().equals(id)) {
            return Reduction.NONE; // TrainConfig refuses it with the reason
        }
        Require.oneOf("reduction", id, TRAIN_REDUCTIONS);
        return Reduction.fromId(id);
    }

    private static Precision precision(String key, String id) {
        Require.oneOf(key, id, PRECISION_IDS);
        return Precision.fromId(id);
    }

    private static ModelPrecision modelPrecision(String id) {
        Require.oneOf("modelPrecision", id, MODEL_PRECISION_IDS);
        return ModelPrecision.fromId(id);
    }

    private static String textOrNull(ObjectNode m, String key) {
        JsonNode v = m.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static List<String> texts(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(e -> out.add(e.textValue()));
        return out;
    }

    private static List<Integer> ints(JsonNode list) {
        List<Integer> out = new ArrayList<>();
        list.forEach(e -> out.add((int) e.asDouble()));
        return out;
    }

    private static boolean isWhole(JsonNode v) {
        return v.isIntegralNumber() || (v.isNumber() && Double.isFinite(v.doubleValue())
                && v.doubleValue() == Math.rint(v.doubleValue()));
    }

    private static boolean fitsInt(JsonNode v) {
        double d = v.doubleValue();
        return v.isIntegralNumber() ? v.canConvertToInt() : d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE;
    }

    /** A JSON value as a user would name it: {@code "0.1" (a string)}. */
    public static String describe(JsonNode value) {
        String type = switch (value.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> value.isIntegralNumber() ? "an integer" : "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> value.getNodeType().name().toLowerCase(Locale.ROOT);
        };
        String text = value.toString();
        if (text.length() > 40) {
            text = text.substring(0, 37) + "...";
        }
        return value.getNodeType() == JsonNodeType.NULL ? type : text + " (" + type + ")";
    }

    private static Map<String, Key> byName() {
        Map<String, Key> m = new LinkedHashMap<>();
        for (Key k : KEYS) {
            m.put(k.name(), k);
        }
        return m;
    }
}
