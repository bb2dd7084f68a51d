package dev.softmaxlab.experiments.config;

import dev.softmaxlab.experiments.config.TrainConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.core.loss.LossPaths;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.experiments.report.Json;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrainConfigTest {

    private static JsonNode json(String s) {
        try {
            return Json.mapper().readTree(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String error(String overrides) {
        return assertThrows(InvalidInputException.class, () -> TrainConfig.resolve(json(overrides))).getMessage();
    }

    @Test
    void noOverridesGivesTheDefaults() {
        assertEquals(TrainConfig.DEFAULTS, TrainConfig.resolve(null));
        assertEquals(TrainConfig.DEFAULTS, TrainConfig.resolve(json("{}")));
    }

    @Test
    void overridesReplaceOnlyTheirKeys() {
        TrainConfig c = TrainConfig.resolve(json(
                "{\"lr\":0.5,\"hidden\":[8,4],\"paths\":[\"fused\"],\"precision\":\"fp16\",\"epochs\":2}"));
        assertEquals(0.5, c.optimizer().lr());
        assertEquals(List.of(8, 4), c.model().hidden());
        assertEquals(List.of(LossPaths.byId("fused")), c.paths());
        assertEquals(List.of(Precision.FP16), c.precision(), "a single value is a one-element list");
        assertEquals(2, c.epochs());
        assertEquals(TrainConfig.DEFAULTS.seed(), c.seed());
        assertEquals(TrainConfig.DEFAULTS.batchSize(), c.batchSize());
    }

    @Test
    void aConfigRoundTripsThroughJson() {
        TrainConfig c = TrainConfig.resolve(json("{\"dataset\":\"digits\",\"model\":\"mlp\",\"labelColumn\":3}"));
        assertEquals("3", c.data().labelColumn(), "a numeric column index is kept as its text");
        assertEquals(c, TrainConfig.resolve(c.toJson()));
    }

    @Test
    void reportsAndBareConfigsBothYieldTheConfig() {
        JsonNode bare = json("{\"lr\":0.3}");
        JsonNode report = json("{\"schema\":\"softmaxlab.report/1\",\"config\":{\"lr\":0.3},\"runs\":[]}");
        assertEquals(TrainConfig.resolve(bare), TrainConfig.resolve(TrainConfig.configOf(report)));
        assertEquals(bare, TrainConfig.configOf(bare));
    }

    @Test
    void unknownKeySuggestsTheNearest() {
        assertEquals("unknown option 'logitscale': did you mean 'logitScale'?", error("{\"logitscale\":3}"));
        assertEquals("unknown option 'batchsize': did you mean 'batchSize'?", error("{\"batchsize\":3}"));
        assertTrue(error("{\"optimiser\":\"sgd\"}").contains("did you mean 'optimizer'?"));
        assertTrue(error("{\"zzzzzzzzzz\":1}").contains("valid options are dataset, labelColumn"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"lr\":0}                     | lr = 0: must be a finite number > 0, e.g. 0.1",
        "{\"lr\":-0.1}                  | lr = -0.1: must be a finite number > 0, e.g. 0.1",
        "{\"lr\":\"fast\"}              | lr = \"fast\": must be a number",
        "{\"hidden\":[64,0]}            | hidden = [64, 0]: every layer size must be >= 1, e.g. [64, 64]",
        "{\"hidden\":[]}                | hidden = []: needs at least one layer size, e.g. [64]",
        "{\"steps\":0}                  | steps = 0: must be >= 1",
        "{\"steps\":1.5}                | steps = 1.5: must be a whole number",
        "{\"batchSize\":null}           | batchSize = null: a value is required (default 32)",
        "{\"dataset\":\"blob\"}         | dataset = 'blob': expected one of blobs, spiral, iris, digits, csv:PATH (did you mean 'blobs'?)",
        "{\"dataset\":\"csv:\"}         | dataset = 'csv:': name the file after 'csv:', e.g. csv:data/measurements.csv",
        "{\"optimizer\":\"adma\"}       | optimizer = 'adma': expected one of sgd, momentum, adam (did you mean 'adam'?)",
        "{\"paths\":[\"fused\",\"fused\"]} | paths = [fused, fused]: 'fused' is listed twice; list it once",
        "{\"precision\":[\"fp8\"]}      | precision = 'fp8': expected one of fp64, fp32, bf16, fp16",
        "{\"testFraction\":1}           | testFraction = 1: must be a finite number in (0, 1), e.g. 0.25",
        "{\"reduction\":\"none\"}       | reduction = none: training needs one loss per batch; use mean or sum",
        "{\"onNonfinite\":\"halt\"}     | onNonfinite = 'halt': expected one of continue, skip, stop",
        "{\"standardize\":\"yes\"}      | standardize = \"yes\": must be true or false",
        "{\"momentum\":1}               | momentum = 1: must be a finite number in [0, 1), e.g. 0.9",
        "{\"eps\":0.5}                  | eps: clip epsilon 0.5 is out of range: give a value in (0, 0.5), e.g. 1e-7",
        "{\"epochs\":0}                 | epochs = 0: must be >= 1",
        "{\"paths\":[1]}                | paths = [1]: must be a list of strings, e.g. [\"fused\",\"separate\",\"separate-naive\",\"separate-clipped\"]",
    })
    void invalidValuesNameTheKeyTheValueAndTheFix(String overrides, String message) {
        assertEquals(message, error(overrides));
    }

    @Test
    void anUnknownPathListsTheRegisteredOnes() {
        // the valid ids come from core's registry, so a new path shows up here without touching this test
        String ids = String.join(", ", LossPaths.all().stream().map(p -> p.id()).toList());
        assertEquals("paths = 'separte': expected one of " + ids + " (did you mean 'separate'?)",
                error("{\"paths\":[\"separte\"]}"));
    }

    @Test
    void aNonObjectIsRejected() {
        assertTrue(error("[1,2]").startsWith("a training config must be a JSON object"));
    }

    @Test
    void epochsDetermineTheStepCount() {
        TrainConfig c = TrainConfig.resolve(json("{\"epochs\":3,\"batchSize\":32}"));
        assertEquals(10, c.stepsFor(100), "ceil(3 * 100 / 32)");
        assertEquals(3, c.stepsFor(20), "a batch larger than the split is the whole split");
        assertEquals(TrainConfig.DEFAULTS.steps(), TrainConfig.DEFAULTS.stepsFor(100));
    }

    @Test
    void flagsAreKebabCase() {
        assertEquals("--logit-scale", TrainConfig.flagOf("logitScale"));
        assertEquals("--lr", TrainConfig.flagOf("lr"));
        assertEquals(45, TrainConfig.KEYS.size()); // 37, io's header, heads' six loss-head keys and padFraction
        assertFalse(TrainConfig.KEYS.contains("schema"));
    }

    @Test
    void anAccumulationInTheOtherHalfFormatIsRefusedBeforeAnyRun() throws Exception {
        // bf16 may accumulate in bf16, fp32 or fp64 (core/NUMERICS.md); fp16 accumulation would overflow its sums at 65504
        dev.softmaxlab.core.InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.softmaxlab.core.InvalidInputException.class, () -> TrainConfig.resolve(
                        dev.softmaxlab.experiments.report.Json.mapper().readTree(
                                "{\"precision\":[\"bf16\",\"fp16\"],\"accumulate\":\"fp16\"}")));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("cannot apply to bf16"), e.getMessage());
        TrainConfig ok = TrainConfig.resolve(dev.softmaxlab.experiments.report.Json.mapper().readTree(
                "{\"precision\":[\"fp16\"],\"accumulate\":\"fp16\"}"));
        org.junit.jupiter.api.Assertions.assertEquals(Precision.FP16, ok.accumulate());
    }
}
