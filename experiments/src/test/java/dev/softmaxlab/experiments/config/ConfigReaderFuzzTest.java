package dev.softmaxlab.experiments.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.io.BoundedInput;
import dev.softmaxlab.experiments.report.JsonDocuments;

/**
 * Fuzzes the {@code --config} reader: any bytes go the way a config file goes (strict UTF-8, one strict JSON
 * document, then {@link ConfigLayers#trainConfig}); each resolves or is refused with {@link InvalidInputException}, and
 * nothing else escapes. Seed corpus: {@code src/test/resources/.../ConfigReaderFuzzTestInputs}.
 */
class ConfigReaderFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void everyConfigResolvesOrIsAUserError(byte[] input) {
        try {
            // as train --config reads it: bounded strict JSON, then the config layers without flags
            JsonNode doc = JsonDocuments.parse(BoundedInput.text(input, "--config fuzz.json"), "--config fuzz.json");
            ConfigLayers.trainConfig(doc, "--config fuzz.json", JsonNodeFactory.instance.objectNode());
        } catch (InvalidInputException e) {
            // refused: the tool's own error
        }
    }
}
