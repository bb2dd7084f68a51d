package dev.softmaxlab.experiments.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import dev.softmaxlab.experiments.train.TrainConfig;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keys a spec's {@code base} and {@code grid} may use and the JSON type of each: read from {@link TrainConfig}'s
 * components, so that a new train option is usable in specs the moment it exists. An option whose default is null
 * accepts null.
 */
public final class TrainOptions {

    /** The JSON shape of one option's value. */
    public enum Kind {
        TEXT("a string"), BOOLEAN("true or false"), NUMBER("a number"), INTEGER("an integer"),
        INTEGER_LIST("an array of integers such as [64, 64]"), TEXT_LIST("an array of strings such as [\"fp32\"]");

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
    }

    /** One option: its key, its kind and whether null is allowed. */
    public record Option(String key, Kind kind, boolean nullable) {
    }

    private static final Map<String, Option> OPTIONS = read();

    private TrainOptions() {
    }

    /** Every option, in {@link TrainConfig} order. */
    public static Map<String, Option> all() {
        return OPTIONS;
    }

    public static Optional<Option> get(String key) {
        return Optional.ofNullable(OPTIONS.get(key));
    }

    /**
     * Checks {@code value} against the option's kind; the problem, if any, is located at {@code path} (elements of
     * a list at {@code path[i]}).
     */
    public static Optional<SpecProblem> check(Option option, JsonNode value, String path) {
        if (value.isNull()) {
            return option.nullable() ? Optional.empty()
                    : Optional.of(new SpecProblem(path, option.key() + " cannot be null: give " + option.kind().expected()));
        }
        switch (option.kind()) {
            case TEXT:
                // labelColumn names a column or gives its 0-based index, as the train flag and TrainConfig accept
                return expect(value.isTextual() || option.key().equals("labelColumn") && value.isIntegralNumber(),
                        option, value, path);
            case BOOLEAN:
                return expect(value.isBoolean(), option, value, path);
            case NUMBER:
                return expect(value.isNumber(), option, value, path);
            case INTEGER:
                return expect(isIntegral(value), option, value, path);
            case INTEGER_LIST:
            case TEXT_LIST:
                if (!value.isArray()) {
                    return expect(false, option, value, path);
                }
                for (int i = 0; i < value.size(); i++) {
                    JsonNode e = value.get(i);
                    boolean ok = option.kind() == Kind.TEXT_LIST ? e.isTextual() : isIntegral(e);
                    if (!ok) {
                        return Optional.of(new SpecProblem(path + "[" + i + "]", "wrong type for " + option.key()
                                + ": expected " + (option.kind() == Kind.TEXT_LIST ? "a string" : "an integer")
                                + ", got " + describe(e)));
                    }
                }
                return Optional.empty();
            default:
                throw new IllegalStateException(option.kind().name());
        }
    }

    /** A JSON value as a user would name it: {@code "0.1" (a string)}. */
    static String describe(JsonNode value) {
        String type = switch (value.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> value.isIntegralNumber() ? "an integer" : "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
        String text = value.toString();
        if (text.length() > 40) {
            text = text.substring(0, 37) + "...";
        }
        return value.getNodeType() == JsonNodeType.NULL ? type : text + " (" + type + ")";
    }

    private static boolean isIntegral(JsonNode v) {
        // 64.0 is accepted as 64; 64.5 is not.
        return v.isIntegralNumber() || (v.isFloatingPointNumber() && v.asDouble() == Math.rint(v.asDouble())
                && Math.abs(v.asDouble()) < 9.0e15);
    }

    private static Optional<SpecProblem> expect(boolean ok, Option option, JsonNode value, String path) {
        return ok ? Optional.empty() : Optional.of(new SpecProblem(path,
                "wrong type for " + option.key() + ": expected " + option.kind().expected() + ", got " + describe(value)));
    }

    private static Map<String, Option> read() {
        JsonNode defaults = TrainConfig.defaultsAsJson();
        Map<String, Option> options = new LinkedHashMap<>();
        for (RecordComponent c : TrainConfig.class.getRecordComponents()) {
            options.put(c.getName(), new Option(c.getName(), kindOf(c), defaults.path(c.getName()).isNull()));
        }
        return Collections.unmodifiableMap(options);
    }

    private static Kind kindOf(RecordComponent c) {
        Class<?> t = c.getType();
        if (t == String.class) {
            return Kind.TEXT;
        }
        if (t == boolean.class || t == Boolean.class) {
            return Kind.BOOLEAN;
        }
        if (t == double.class || t == Double.class || t == float.class || t == Float.class) {
            return Kind.NUMBER;
        }
        if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
            return Kind.INTEGER;
        }
        if (t == List.class) {
            Type arg = ((ParameterizedType) c.getGenericType()).getActualTypeArguments()[0];
            if (arg == Integer.class || arg == Long.class) {
                return Kind.INTEGER_LIST;
            }
            if (arg == String.class) {
                return Kind.TEXT_LIST;
            }
        }
        throw new IllegalStateException("TrainConfig." + c.getName() + " has a type specs do not know: " + c.getGenericType());
    }
}
