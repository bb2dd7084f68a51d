package dev.softmaxlab.experiments.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.core.loss.LossPath;
import dev.softmaxlab.core.loss.LossPaths;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.spec.BundledSpecs;
import dev.softmaxlab.experiments.spec.Metrics;
import dev.softmaxlab.experiments.spec.SpecTexts;
import dev.softmaxlab.experiments.spec.TrainOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SchemasTest {

    static List<String> documents() {
        return Schemas.DOCUMENTS;
    }

    /** The documents that carry loss paths (all but the list of bundled experiments). */
    static List<String> documentsWithPaths() {
        return Schemas.DOCUMENTS.stream().filter(d -> !d.equals("list")).toList();
    }

    @ParameterizedTest
    @MethodSource("documents")
    void everySchemaIsAValidDraft202012Schema(String document) throws Exception {
        var meta = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(java.net.URI.create("https://json-schema.org/draft/2020-12/schema"));
        JsonNode schema = Json.mapper().readTree(Schemas.text(document));
        assertEquals(List.of(), meta.validate(schema).stream().map(Object::toString).toList());
        assertEquals("https://json-schema.org/draft/2020-12/schema", schema.get("$schema").asText());
        assertEquals("softmaxlab." + document + "/1", schema.at("/properties/schema/const").asText());
    }

    /** Every enum of loss path ids in every schema is the registry's list, and no schema file spells it out. */
    @ParameterizedTest
    @MethodSource("documentsWithPaths")
    void pathIdsInTheSchemasComeFromTheRegistry(String document) throws Exception {
        List<String> registry = LossPaths.all().stream().map(LossPath::id).toList();
        List<JsonNode> enums = new ArrayList<>();
        collectEnums(Json.mapper().readTree(Schemas.text(document)), enums);
        List<JsonNode> ofPaths = enums.stream().filter(e -> e.toString().contains("\"" + registry.get(0) + "\""))
                .toList();
        assertFalse(ofPaths.isEmpty(), document + " lists the paths somewhere");
        for (JsonNode e : ofPaths) {
            List<String> ids = new ArrayList<>();
            e.forEach(v -> ids.add(v.asText()));
            assertEquals(registry, ids, document);
        }
        try (var in = Schemas.class.getResourceAsStream(document + ".schema.json")) {
            String raw = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            for (String id : registry) {
                assertFalse(raw.contains("\"" + id + "\""), document + " spells out " + id + " by hand");
            }
        }
    }

    private static void collectEnums(JsonNode node, List<JsonNode> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                if (f.getKey().equals("enum")) {
                    out.add(f.getValue());
                } else {
                    collectEnums(f.getValue(), out);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectEnums(n, out));
        }
    }

    @Test
    void aSingleValueWhereAListIsExpectedIsValidInTheSpecSchemaAsInTheLoader() throws Exception {
        ObjectNode single = (ObjectNode) Json.mapper().readTree(SpecTexts.SMALL);
        ((ObjectNode) single.get("base")).put("precision", "fp32").put("paths", "fused").put("hidden", 8);
        assertEquals(List.of(), SchemaCheck.errors("spec", single));
        ((ObjectNode) single.get("base")).put("precision", "fp8");
        assertFalse(SchemaCheck.errors("spec", single).isEmpty());
    }

    @Test
    void unknownDocumentIsAUserError() {
        assertThrows(InvalidInputException.class, () -> Schemas.text("repot"));
    }

    /** The schemas list the train options by hand; they must be exactly TrainConfig's keys, with the same nullability. */
    @Test
    void configOptionsInTheSchemasAreExactlyTheTrainOptions() throws Exception {
        for (String doc : List.of("spec", "report", "sweep")) {
            JsonNode schema = Json.mapper().readTree(Schemas.text(doc));
            JsonNode props = doc.equals("spec") ? schema.at("/$defs/options/properties") : schema.at("/$defs/config/properties");
            List<String> keys = new ArrayList<>();
            props.fieldNames().forEachRemaining(keys::add);
            assertEquals(List.copyOf(TrainOptions.all().keySet()), keys, doc);
            for (TrainOptions.Option o : TrainOptions.all().values()) {
                JsonNode p = props.get(o.key());
                boolean allowsNull = p.path("type").toString().contains("null") || p.path("enum").toString().contains("null");
                assertEquals(o.nullable(), allowsNull, doc + " " + o.key());
            }
        }
        JsonNode spec = Json.mapper().readTree(Schemas.text("spec"));
        List<String> metrics = new ArrayList<>();
        spec.at("/$defs/expectation/properties/metric/enum").forEach(m -> metrics.add(m.asText()));
        assertEquals(List.copyOf(Metrics.all().keySet()), metrics);
    }

    /**
     * The probe-grid keys are listed by hand in three schemas; they must be exactly {@link
     * dev.softmaxlab.experiments.config.ProbeGridKeys}' (so a loss option added to the train config, which becomes a
     * probe-grid key by itself, fails here until the schemas list it), and the probe metrics exactly the summary's.
     */
    @Test
    void probeGridKeysAndMetricsInTheSchemasAreExactlyTheConvertersAndTheSummarys() throws Exception {
        List<String> keys = List.copyOf(dev.softmaxlab.experiments.config.ProbeGridKeys.all().keySet());
        JsonNode spec = Json.mapper().readTree(Schemas.text("spec"));
        JsonNode sweep = Json.mapper().readTree(Schemas.text("sweep"));
        JsonNode row = Json.mapper().readTree(Schemas.text("probeRow"));
        for (JsonNode props : List.of(spec.at("/$defs/probeOptions/properties"), sweep.at("/$defs/probeConfig/properties"),
                row.at("/$defs/probeConfig/properties"))) {
            List<String> names = new ArrayList<>();
            props.fieldNames().forEachRemaining(names::add);
            assertEquals(keys, names);
        }
        List<String> metrics = new ArrayList<>();
        spec.at("/$defs/probeExpectation/properties/metric/enum").forEach(m -> metrics.add(m.asText()));
        assertEquals(List.copyOf(Metrics.of(dev.softmaxlab.experiments.spec.SpecKind.PROBE).keySet()), metrics);
        List<String> fields = new ArrayList<>();
        sweep.at("/$defs/probeRowSummary/properties").fieldNames().forEachRemaining(fields::add);
        assertEquals(java.util.Arrays.stream(dev.softmaxlab.experiments.report.ProbeRowSummary.class.getRecordComponents())
                .map(java.lang.reflect.RecordComponent::getName).toList(), fields);
    }

    @Test
    void everyBundledSpecAndTheTestSpecsMatchTheSpecSchema() throws Exception {
        assertFalse(BundledSpecs.names().isEmpty());
        for (String name : BundledSpecs.names()) {
            assertEquals(List.of(), SchemaCheck.errors("spec", Json.mapper().readTree(BundledSpecs.text(name))), name);
        }
        assertEquals(List.of(), SchemaCheck.errors("spec", Json.mapper().readTree(SpecTexts.SMALL)));
    }

    @Test
    void theSpecSchemaRejectsWhatTheLoaderRejects() throws Exception {
        ObjectNode bad = (ObjectNode) Json.mapper().readTree(SpecTexts.SMALL);
        ((ObjectNode) bad.get("base")).put("logitScal", 3);
        assertFalse(SchemaCheck.errors("spec", bad).isEmpty());
        ObjectNode empty = (ObjectNode) Json.mapper().readTree(SpecTexts.SMALL);
        ((ObjectNode) empty.get("grid")).putArray("lr");
        assertFalse(SchemaCheck.errors("spec", empty).isEmpty());
        ObjectNode typed = (ObjectNode) Json.mapper().readTree(SpecTexts.SMALL);
        ((ObjectNode) typed.get("grid")).putArray("logitScale").add("100");
        assertTrue(SchemaCheck.errors("spec", typed).toString().contains("grid/logitScale/0: string found, number expected"),
                SchemaCheck.errors("spec", typed).toString());
    }
}
