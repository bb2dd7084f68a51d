package dev.softmaxlab.experiments.report;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.io.BoundedInput;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads a whole JSON document a user gives (a {@code --config}, a sweep's summary or run file) the one strict way:
 * within the file limit ({@link BoundedInput}), UTF-8, RFC 8259 (no bare NaN), a repeated key refused, errors in
 * the tool's words ({@link JsonErrors}) with line and column.
 */
public final class JsonDocuments {

    private static final ObjectReader READER = Json.mapper().reader()
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private JsonDocuments() {
    }

    /** The document in {@code file}; {@code what} names it in messages ("--config c.json"). */
    public static JsonNode read(Path file, String what) {
        return parse(BoundedInput.readText(file, what), what);
    }

    /** The document in {@code text}; an empty text is refused. */
    public static JsonNode parse(String text, String what) {
        JsonNode doc;
        try {
            doc = READER.readTree(text);
        } catch (JsonProcessingException e) {
            JsonErrors.Problem p = JsonErrors.describe(e);
            throw new InvalidInputException(what + ": not valid JSON" + (p.where() == null ? "" : " at " + p.where())
                    + ": " + p.message());
        } catch (IOException e) {
            throw new InvalidInputException(what + ": cannot read (" + e.getMessage() + ")");
        }
        if (doc == null || doc.isMissingNode()) {
            throw new InvalidInputException(what + " is empty: expected a JSON object");
        }
        return doc;
    }
}
