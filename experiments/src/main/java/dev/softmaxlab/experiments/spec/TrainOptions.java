package dev.softmaxlab.experiments.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softmaxlab.experiments.config.ConfigKeys;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The keys a spec's {@code base}, {@code grid}, {@code where} and {@code vs} may use: the train config's keys
 * ({@link ConfigKeys}), so a new train option is usable in specs the moment it exists, checked by the same key-type
 * check as flags and config files.
 */
public final class TrainOptions {


    /** One option: its key, its kind and whether null is allowed. */
    public record Option(String key, ConfigKeys.Kind kind, boolean nullable) {
    }

    private static final Map<String, Option> OPTIONS = read();

    private TrainOptions() {
    }

    /** Every option, in config order. */
    public static Map<String, Option> all() {
        return OPTIONS;
    }

    public static Optional<Option> get(String key) {
        return Optional.ofNullable(OPTIONS.get(key));
    }

    /**
     * Checks {@code value} against the option's kind with {@link ConfigKeys#typeProblem}; the problem, if any, is
     * located at {@code path} (an element of a list at {@code path[i]}).
     */
    public static Optional<SpecProblem> check(Option option, JsonNode value, String path) {
        if (value.isNull()) {
            return option.nullable() ? Optional.empty()
                    : Optional.of(new SpecProblem(path, option.key() + " = null: a value is required"));
        }
        // a probe-grid key shares the train key's entry when both have it (classes, logitScale, seed, the loss head)
        Optional<ConfigKeys.Key> key = ConfigKeys.get(option.key())
                .or(() -> Optional.ofNullable(dev.softmaxlab.experiments.config.ProbeGridKeys.all().get(option.key())));
        if (key.isEmpty()) { // a row key (path, precision): text
            return value.isTextual() ? Optional.empty() : Optional.of(new SpecProblem(path,
                    option.key() + " = " + value + ": must be " + option.kind().expected()));
        }
        return ConfigKeys.typeProblem(key.get(), value).map(p -> new SpecProblem(path + p.at(), p.message()));
    }

    /** A JSON value as a user would name it: {@code "0.1" (a string)}. */
    static String describe(JsonNode value) {
        return ConfigKeys.describe(value);
    }

    private static Map<String, Option> read() {
        Map<String, Option> options = new LinkedHashMap<>();
        for (ConfigKeys.Key k : ConfigKeys.all()) {
            options.put(k.name(), new Option(k.name(), k.kind(), k.nullable()));
        }
        return Collections.unmodifiableMap(options);
    }
}
