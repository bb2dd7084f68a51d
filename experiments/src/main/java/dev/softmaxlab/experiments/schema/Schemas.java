package dev.softmaxlab.experiments.schema;

import dev.softmaxlab.core.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The published JSON Schema of each document, by document name. */
public final class Schemas {

    /** The documents that have a schema, as {@code softmaxlab schema} names them. */
    public static final List<String> DOCUMENTS = List.of("spec", "report", "sweep", "probe", "list");

    private Schemas() {
    }

    /** The schema text of {@code document}; an unknown name is a user error. */
    public static String text(String document) {
        if (!DOCUMENTS.contains(document)) {
            throw new InvalidInputException("no schema for '" + document + "': choose one of " + String.join(", ", DOCUMENTS));
        }
        try (InputStream in = Schemas.class.getResourceAsStream(document + ".schema.json")) {
            if (in == null) {
                throw new IllegalStateException("schema resource " + document + ".schema.json is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
