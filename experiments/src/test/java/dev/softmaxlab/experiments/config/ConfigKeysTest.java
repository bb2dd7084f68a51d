package dev.softmaxlab.experiments.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.checks.Needs;
import dev.softmaxlab.experiments.checks.SettingException;
import dev.softmaxlab.experiments.report.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one converter: every key is read into the typed config and written back, alone and all together. */
class ConfigKeysTest {

    /** A valid value other than the default for every key (a new key needs a line here). */
    private static final Map<String, String> OTHER = new LinkedHashMap<>();

    static {
        OTHER.put("dataset", "\"spiral\"");
        OTHER.put("labelColumn", "\"species\"");
        OTHER.put("header", "false");
        OTHER.put("standardize", "false");
        OTHER.put("testFraction", "0.5");
        OTHER.put("samples", "90");
        OTHER.put("classes", "4");
        OTHER.put("dimensions", "5");
        OTHER.put("separation", "1.5");
        OTHER.put("noise", "0.25");
        OTHER.put("padFraction", "0.5");
        OTHER.put("model", "\"mlp\"");
        OTHER.put("hidden", "[8,4]");
        OTHER.put("activation", "\"tanh\"");
        OTHER.put("init", "\"xavier\"");
        OTHER.put("initScale", "0.5");
        OTHER.put("logitScale", "3.0");
        OTHER.put("modelPrecision", "\"fp32\"");
        OTHER.put("optimizer", "\"adam\"");
        OTHER.put("lr", "0.01");
        OTHER.put("weightDecay", "0.001");
        OTHER.put("momentum", "0.5");
        OTHER.put("beta1", "0.8");
        OTHER.put("beta2", "0.99");
        OTHER.put("adamEps", "1.0E-6");
        OTHER.put("batchSize", "7");
        OTHER.put("steps", "11");
        OTHER.put("epochs", "3");
        OTHER.put("seed", "9000000000");
        OTHER.put("paths", "[\"separate-clipped\",\"fused-chunked\"]");
        OTHER.put("precision", "[\"bf16\",\"fp64\"]");
        OTHER.put("accumulate", "\"fp64\"");
        OTHER.put("labelSmoothing", "0.1");
        OTHER.put("targets", "\"dense\"");
        OTHER.put("eps", "0.001");
        OTHER.put("ignoreIndex", "-1");
        OTHER.put("classWeights", "[1.0,2.0,0.5]");
        OTHER.put("zLoss", "1.0E-4");
        OTHER.put("softcap", "30.0");
        OTHER.put("chunkSize", "64");
        OTHER.put("chunkCarry", "\"fp64\"");
        OTHER.put("reduction", "\"sum\"");
        OTHER.put("onNonfinite", "\"skip\"");
        OTHER.put("logEvery", "3");
        OTHER.put("evalEvery", "4");
    }

    private static JsonNode json(String s) throws Exception {
        return Json.mapper().readTree(s);
    }

    @Test
    void theTestCoversEveryKey() {
        assertEquals(ConfigKeys.NAMES, java.util.List.copyOf(OTHER.keySet()));
    }

    /** Keys only fused-chunked uses: alone (with the default paths) they are refused, so they come with it. */
    private static final java.util.Set<String> CHUNKED = java.util.Set.of("chunkSize", "chunkCarry");

    @Test
    void eachKeyAloneIsReadAndWrittenBack() throws Exception {
        ObjectNode defaults = TrainConfig.defaultsAsJson();
        for (Map.Entry<String, String> e : OTHER.entrySet()) {
            JsonNode value = json(e.getValue());
            boolean chunked = CHUNKED.contains(e.getKey());
            TrainConfig c = TrainConfig.resolve(json("{\"" + e.getKey() + "\":" + e.getValue()
                    + (chunked ? ",\"paths\":[\"fused-chunked\"]" : "") + "}"));
            ObjectNode written = c.toJson();
            assertNotEquals(defaults.get(e.getKey()), written.get(e.getKey()), e.getKey() + " is not its default");
            assertEquals(value.toString(), written.get(e.getKey()).toString(), e.getKey());
            for (String other : ConfigKeys.NAMES) {
                if (!other.equals(e.getKey()) && !(chunked && other.equals("paths"))) {
                    assertEquals(defaults.get(other), written.get(other), other + " untouched by " + e.getKey());
                }
            }
        }
    }

    @Test
    void allKeysTogetherRoundTrip() throws Exception {
        ObjectNode all = Json.mapper().createObjectNode();
        for (Map.Entry<String, String> e : OTHER.entrySet()) {
            all.set(e.getKey(), json(e.getValue()));
        }
        TrainConfig c = TrainConfig.resolve(all);
        assertEquals(c, TrainConfig.resolve(c.toJson()));
        assertEquals(all.toString(), c.toJson().toString());
        // Jackson reads a report's config through the same converter
        assertEquals(c, Json.mapper().treeToValue(c.toJson(), TrainConfig.class));
    }

    @Test
    void aLossOptionNoPathUsesIsRefusedNamingThePathThatWould() throws Exception {
        SettingException e = assertThrows(SettingException.class,
                () -> TrainConfig.resolve(json("{\"chunkSize\":64}")));
        assertTrue(e.getMessage().contains("chunkSize = 64 cannot apply to paths fused, separate, separate-naive,"
                + " separate-clipped: only fused-chunked uses it"), e.getMessage());
        SettingException eps = assertThrows(SettingException.class,
                () -> TrainConfig.resolve(json("{\"eps\":0.001,\"paths\":[\"fused\"]}")));
        assertTrue(eps.getMessage().contains("only separate-clipped uses it"), eps.getMessage());
        // the shared options go with any path; a single weight is a one-element list
        TrainConfig c = TrainConfig.resolve(json("{\"zLoss\":1e-4,\"softcap\":5,\"classWeights\":2,"
                + "\"ignoreIndex\":7,\"paths\":\"double-softmax\"}"));
        assertEquals("[2.0]", c.toJson().get("classWeights").toString());
        assertEquals(7, c.loss().ignoreIndex());
        SettingException w = assertThrows(SettingException.class,
                () -> TrainConfig.resolve(json("{\"classWeights\":[1,0,2]}")));
        assertEquals("classWeights", w.key());
        assertTrue(w.getMessage().startsWith("classWeights: class weight 0.0 of class 1 is invalid"), w.getMessage());
        SettingException carry = assertThrows(SettingException.class,
                () -> TrainConfig.resolve(json("{\"chunkCarry\":\"fp8\",\"paths\":\"fused-chunked\"}")));
        assertEquals("chunkCarry", carry.key());
    }

    @Test
    void aSingleValueIsAOneElementListForEveryListKey() throws Exception {
        TrainConfig c = TrainConfig.resolve(json("{\"paths\":\"fused\",\"precision\":\"fp16\",\"hidden\":8}"));
        assertEquals("[\"fused\"]", c.toJson().get("paths").toString());
        assertEquals("[\"fp16\"]", c.toJson().get("precision").toString());
        assertEquals("[8]", c.toJson().get("hidden").toString());
    }

    @Test
    void flagTextBecomesTheKeysJsonKindAndANumberListIsReadyForLossOptions() throws Exception {
        ConfigKeys.Key weights = new ConfigKeys.Key("classWeights", ConfigKeys.Kind.NUMBER_LIST, false, c -> null,
                null);
        assertEquals("[1.0,0.5,2.0]", ConfigKeys.fromText(weights, "1, 0.5,2").toString());
        assertTrue(ConfigKeys.typeProblem(weights, json("[1,0.5]")).isEmpty());
        assertTrue(ConfigKeys.typeProblem(weights, json("0.5")).isEmpty(), "one value is a one-element list");
        assertEquals("[1]", ConfigKeys.typeProblem(weights, ConfigKeys.fromText(weights, "1,x")).orElseThrow().at());
        ConfigKeys.Key steps = ConfigKeys.known("steps");
        assertEquals("7", ConfigKeys.fromText(steps, " 7 ").toString());
        assertEquals("steps = \"7.5\": must be a whole number",
                ConfigKeys.typeProblem(steps, ConfigKeys.fromText(steps, "7.5")).orElseThrow().message());
        assertEquals("[64,32]", ConfigKeys.fromText(ConfigKeys.known("hidden"), "64,32").toString());
        assertEquals("false", ConfigKeys.fromText(ConfigKeys.known("standardize"), "FALSE").toString());
    }

    @Test
    void aBadSettingNamesItsKeyAndElement() throws Exception {
        SettingException e = assertThrows(SettingException.class,
                () -> TrainConfig.resolve(json("{\"paths\":[\"fused\",\"fusd\"]}")));
        assertEquals("paths", e.key());
        assertEquals(1, e.element());
        SettingException lr = assertThrows(SettingException.class, () -> TrainConfig.resolve(json("{\"lr\":-1}")));
        assertEquals("lr", lr.key());
        assertEquals(-1, lr.element());
        SettingException eps = assertThrows(SettingException.class, () -> TrainConfig.resolve(json("{\"eps\":1}")));
        assertEquals("eps", eps.key(), "core's LossOptions check, named by the key that set it");
        assertTrue(assertThrows(InvalidInputException.class, () -> TrainConfig.resolve(json("{\"lr\":true}")))
                .getMessage().equals("lr = true: must be a number"));
    }

    @Test
    void eachSettingSaysWhatItNeedsToApply() throws Exception {
        TrainConfig d = TrainConfig.DEFAULTS; // blobs, linear, sgd, fp32
        assertEquals(new Needs("optimizer", "momentum"), ConfigKeys.needs(d, "momentum"));
        assertEquals(new Needs("optimizer", "adam"), ConfigKeys.needs(d, "adamEps"));
        assertEquals(new Needs("model", "mlp"), ConfigKeys.needs(d, "activation"));
        assertEquals(new Needs("dataset", "csv:PATH"), ConfigKeys.needs(d, "labelColumn"));
        assertEquals(new Needs("precision", "bf16 or fp16"), ConfigKeys.needs(d, "accumulate"));
        assertNull(ConfigKeys.needs(d, "samples"), "blobs draws samples");
        assertNull(ConfigKeys.needs(d, "lr"));
        TrainConfig csv = TrainConfig.resolve(json("{\"dataset\":\"csv:x.csv\",\"optimizer\":\"adam\"}"));
        assertEquals(new Needs("dataset", "blobs or spiral"), ConfigKeys.needs(csv, "classes"));
        assertNull(ConfigKeys.needs(csv, "beta2"));
        assertEquals("--classes needs --dataset blobs or spiral, not csv:x.csv: it changes nothing here; drop it or "
                + "set --dataset", ConfigKeys.inapplicable(csv, java.util.List.of("lr", "classes"), TrainConfig::flagOf)
                .orElseThrow());
    }
}
