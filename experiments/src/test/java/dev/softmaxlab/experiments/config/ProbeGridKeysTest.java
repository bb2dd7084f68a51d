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
        List<String> expected = new ArrayList<>(List.of("classes", "logitScale", "confidence", "seed", "labelProbability", "paths",
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
        "{\"labelProbability\":1}  | labelProbability = 1",
        "{\"labelProbability\":0}  | labelProbability = 0",
        "{\"labelProbability\":0.5,\"classes\":1} | needs classes >= 2",
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

    /**
     * Hand-worked rows of {@code labelProbability}. Two classes at scale 0: z_1 = 0 and z_0 = log(0.9/0.1) = log 9
     * = 2.19722457733621938... (mpmath), which rounds to bf16 (spacing 2^-6 in [2, 4)) as 141·2^-6 = 2.203125. Ten
     * classes at scale 0 with p = 0.99999: z_0 = log(9·99999) = 13.7101400422564474... (mpmath), spacing 2^-4 in
     * [8, 16), so 219·2^-4 = 13.6875.
     */
    @Test
    void labelProbabilityPlacesTheLabelLogitOnTheHalfFormatGrid() {
        ProbeGridConfig two = ProbeGridKeys.resolve(o().put("classes", 2).put("logitScale", 0)
                .put("labelProbability", 0.9));
        assertEquals(List.of(2.203125, 0.0), java.util.Arrays.stream(two.logits()).boxed().toList());
        double[] ten = ProbeGridKeys.resolve(o().put("classes", 10).put("logitScale", 0)
                .put("labelProbability", 0.99999)).logits();
        assertEquals(13.6875, ten[0]);
        // with random others, p_label is the asked one within p·2^-9·|z_0| relatively in 1 - p, and every logit is a
        // bf16 value that fp16 holds too, or 0
        ProbeGridConfig c = ProbeGridKeys.resolve(o().put("classes", 50).put("logitScale", 3).put("seed", 11)
                .put("labelProbability", 0.999));
        double[] z = c.logits();
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v - z[0]);
            assertEquals(v, dev.softmaxlab.core.precision.Precision.BF16.round(v));
            assertEquals(v, dev.softmaxlab.core.precision.Precision.FP16.round(v));
        }
        double q = 1 - 1 / sum; // 1 - p_label
        assertEquals(0.001, q, 0.001 * 0x1p-9 * Math.abs(z[0]) * 1.01);
        // a tiny logit (below fp16's smallest normal) becomes 0, and confidence is not used
        double[] tiny = ProbeGridKeys.resolve(o().put("classes", 3).put("logitScale", 1e-6).put("confidence", 5)
                .put("labelProbability", 0.5)).logits();
        assertEquals(List.of(0.0, 0.0), List.of(tiny[1], tiny[2]));
        // z_0 = log(e^0 + e^0) + log(0.5/0.5) = log 2 = 0.693147..., bf16 spacing 2^-8 in [0.5, 1): 177·2^-8
        assertEquals(0.69140625, tiny[0]);
        assertEquals(ProbeGridKeys.resolve(c.toJson()), c); // the key round-trips
        assertEquals(null, ProbeGridKeys.resolve(null).labelProbability());
    }
}
