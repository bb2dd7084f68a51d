package dev.softmaxlab.experiments.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.report.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProbeGridKeysTest {

    private static ObjectNode o() {
        return Json.mapper().createObjectNode();
    }

    /** Every loss option of the train config is a probe-grid key, with no code of its own: the loss-heads rule. */
    @Test
    void everyLossOptionOfTheTrainConfigIsAProbeGridKey() {
        List<String> expected = new ArrayList<>(List.of("classes", "logitScale", "confidence", "seed", "paths",
                "precision", "accumulate"));
        for (ConfigKeys.Key k : ConfigKeys.all()) {
            if (k.intoLoss() != null && !k.name().equals("reduction")) {
                expected.add(k.name());
            }
        }
        assertEquals(expected.stream().sorted().toList(), ProbeGridKeys.all().keySet().stream().sorted().toList());
        assertEquals(List.copyOf(ProbeGridKeys.all().keySet()), List.copyOf(ProbeGridKeys.resolve(null).toJson()
                .properties().stream().map(java.util.Map.Entry::getKey).toList()));
    }

    @Test
    void lossKeysGoThroughTheTrainConfigsConverterWithItsDefaults() {
        ProbeGridConfig d = ProbeGridKeys.resolve(null);
        assertEquals(TrainConfig.DEFAULTS.loss(), d.head().loss());
        assertEquals(TrainConfig.DEFAULTS.paths(), d.paths());
        ProbeGridConfig c = ProbeGridKeys.resolve(o().put("labelSmoothing", 0.1).put("precision", "bf16")
                .put("accumulate", "fp64"));
        assertEquals(0.1, c.head().loss().labelSmoothing());
        assertEquals(dev.softmaxlab.core.precision.Precision.FP64, c.precisionSpecs().get(0).accumulate());
        assertEquals(c, ProbeGridKeys.resolve(c.toJson())); // round trip: a result file's config resolves back
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"classe\":3}           | unknown probe-grid option 'classe' (did you mean 'classes'?)",
        "{\"lr\":0.1}             | unknown probe-grid option 'lr'",
        "{\"classes\":0}          | classes = 0: must be >= 1",
        "{\"classes\":2.5}        | classes = 2.5: must be a whole number",
        "{\"logitScale\":-1}      | logitScale = -1",
        "{\"confidence\":\"x\"}   | confidence = \"x\": must be a number",
        "{\"labelSmoothing\":2}   | labelSmoothing",
        "{\"paths\":[\"fusd\"]}   | did you mean 'fused'",
    })
    void badValuesNameTheKey(String json, String part) throws Exception {
        String m = assertThrows(InvalidInputException.class,
                () -> ProbeGridKeys.resolve(Json.mapper().readTree(json))).getMessage();
        assertTrue(m.contains(part), m);
    }

    /**
     * java.util.Random(7)'s first nine doubles, re-implemented from its specified LCG in Python, give u_1..u_9; the
     * largest is 0.7945542854842094, so with confidence 1 the label's logit is 1.7945542854842094 × scale.
     */
    @Test
    void theSyntheticRowIsTheDocumentedOne() {
        ProbeGridConfig c = ProbeGridKeys.resolve(o().put("classes", 10).put("seed", 7).put("logitScale", 10));
        double[] z = c.logits();
        assertEquals(10 * (0.7945542854842094 + 1), z[0]);
        assertEquals(10 * 0.4613980841200842, z[1]);
        assertEquals(10 * -0.833560565510757, z[9]);
        ProbeGridConfig one = ProbeGridKeys.resolve(o().put("classes", 1).put("confidence", -2).put("logitScale", 3));
        assertEquals(List.of(-6.0), java.util.Arrays.stream(one.logits()).boxed().toList());
    }
}
