package dev.softmaxlab.experiments.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softmaxlab.experiments.config.TrainConfig;
import dev.softmaxlab.experiments.report.Json;

/**
 * Configs for tests of the data, model and optim factories: the defaults overlaid with some keys, through the one
 * converter (so a bad setting fails where it is made, in its settings record's constructor).
 */
public final class TestConfigs {

    private TestConfigs() {
    }

    /** The defaults overlaid with the keys of a JSON object, e.g. {@code {"lr":0.5}}. */
    public static TrainConfig of(String json) {
        try {
            return of(Json.mapper().readTree(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    public static TrainConfig of(JsonNode overrides) {
        return TrainConfig.resolve(overrides);
    }
}
