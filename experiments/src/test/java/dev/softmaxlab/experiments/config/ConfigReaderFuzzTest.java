package dev.softmaxlab.experiments.train;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.io.BoundedInput;
import dev.softmaxlab.experiments.report.JsonDocuments;

/**
 * Fuzzes the {@code --config} reader: any bytes go the way a config file goes (strict UTF-8, one strict JSON
 * document, then {@link TrainConfig#resolve}); each resolves or is refused with {@link InvalidInputException}, and
 * nothing else escapes. Seed corpus: {@code src/test/resources/.../ConfigReaderFuzzTestInputs}.
 */
class ConfigReaderFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void everyConfigResolvesOrIsAUserError(byte[] input) {
        try {
            JsonNode doc = JsonDocuments.parse(BoundedInput.text(input, "--config fuzz.json"), "--config fuzz.json");
            // as TrainCommand reads it: a report's "config", or the document itself
            JsonNode config = TrainConfig.configOf(doc);
            if (config.isObject()) {
                TrainConfig.resolve(config);
            }
        } catch (InvalidInputException e) {
            // refused: the tool's own error
        }
    }
}
