package dev.softmaxlab.experiments.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a run's config is assembled from layers, each overriding the one below: the defaults, then a config file (a
 * report's {@code config} or a bare config object), then the flags; or, for a spec, the base and then a grid point.
 * Keys the user gave explicitly (flags, spec keys) must change something: {@code --momentum} with sgd is refused.
 */
public final class ConfigLayers {

    private ConfigLayers() {
    }

    /**
     * {@code lower} overlaid key by key with {@code upper}. The one rule across layers: {@code epochs} overrides
     * {@code steps} within a layer, so a {@code steps} given in an upper layer (without {@code epochs}) clears epochs
     * that came from a lower one; else the upper {@code steps} would change nothing.
     */
    public static ObjectNode overlay(ObjectNode lower, ObjectNode upper) {
        ObjectNode o = lower.deepCopy();
        if (upper.has("steps") && !upper.has("epochs") && lower.has("epochs")) {
            o.putNull("epochs");
        }
        o.setAll(upper.deepCopy());
        return o;
    }

    /**
     * Defaults, then the {@code --config} document (null = none; {@code source} names it in messages), then the
     * flags (camelCase keys). A flag that would change nothing is refused, worded as a flag.
     */
    public static TrainConfig trainConfig(JsonNode document, String source, ObjectNode flags) {
        ObjectNode fromFile = JsonNodeFactory.instance.objectNode();
        if (document != null) {
            fromFile = fileLayer(document, source);
        }
        TrainConfig config = TrainConfig.resolve(overlay(fromFile, flags));
        ConfigKeys.inapplicable(config, keysOf(flags), TrainConfig::flagOf).ifPresent(m -> {
            throw new InvalidInputException(m);
        });
        return config;
    }

    /** The overrides a {@code --config} document holds, checked on their own so errors name the file. */
    private static ObjectNode fileLayer(JsonNode document, String source) {
        if (document.isMissingNode()) {
            throw new InvalidInputException(source + " is empty: give a train report or a config object such as "
                    + "{\"lr\": 0.1}");
        }
        if (document.isObject() && document.has("schema") && !document.has("config")) {
            throw new InvalidInputException(source + ": a " + document.get("schema").asText()
                    + " document holds no \"config\": give a train report or a bare config object");
        }
        JsonNode fromFile = TrainConfig.configOf(document);
        if (!fromFile.isObject()) {
            throw new InvalidInputException(source + ": expected a JSON object (a report or a config such as "
                    + "{\"lr\": 0.1}), not " + fromFile.getNodeType().toString().toLowerCase(Locale.ROOT));
        }
        try {
            TrainConfig.resolve(fromFile);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(source + ": " + e.getMessage(), e);
        }
        return (ObjectNode) fromFile;
    }

    private static List<String> keysOf(ObjectNode o) {
        List<String> keys = new ArrayList<>();
        o.fieldNames().forEachRemaining(keys::add);
        return keys;
    }
}
