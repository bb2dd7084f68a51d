package dev.softmaxlab.experiments.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.train.TrainConfig;

/**
 * Configs for tests of the data, model and optim factories: the defaults overlaid with some keys, WITHOUT
 * {@link TrainConfig#resolve}'s validation, so that each factory's own checks of bad settings are what is tested.
 */
public final class TestConfigs {

    private TestConfigs() {
    }

    /** The defaults overlaid with the keys of a JSON object, e.g. {@code {"lr":0}}. */
    public static TrainConfig of(String json) {
        try {
            return of(Json.mapper().readTree(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    public static TrainConfig of(JsonNode overrides) {
        ObjectNode merged = TrainConfig.defaultsAsJson();
        merged.setAll((ObjectNode) overrides);
        return Json.mapper().convertValue(merged, TrainConfig.class);
    }
}
