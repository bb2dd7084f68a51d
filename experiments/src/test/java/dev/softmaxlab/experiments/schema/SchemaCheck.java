package dev.softmaxlab.experiments.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.softmaxlab.experiments.report.Json;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Validates documents against the published schemas with an independent validator (networknt, draft 2020-12). */
public final class SchemaCheck {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private SchemaCheck() {
    }

    /** The schema of {@code document}, with {@code format} keywords asserted (date-time). */
    public static JsonSchema schema(String document) {
        return SCHEMAS.computeIfAbsent(document, d -> {
            try {
                SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
                return FACTORY.getSchema(Json.mapper().readTree(Schemas.text(d)), config);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The validator's messages; empty when valid. */
    public static List<String> errors(String document, JsonNode value) {
        return schema(document).validate(value).stream().map(ValidationMessage::getMessage).toList();
    }
}
