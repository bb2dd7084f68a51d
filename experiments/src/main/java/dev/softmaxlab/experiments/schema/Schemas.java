package dev.softmaxlab.experiments.schema;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.core.loss.LossPaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The published JSON Schema of each document, by document name. The loss path ids are not written in the schema
 * files: each {@code "enum": ["@lossPathIds"]} there is filled from core's registry ({@link LossPaths}) as the text is
 * read, so a new path is valid in every document the moment it is registered.
 */
public final class Schemas {

    /** The documents that have a schema, as {@code softmaxlab schema} names them. */
    public static final List<String> DOCUMENTS = List.of("spec", "report", "sweep", "probe", "audit", "bench",
            "probeRow", "list");

    /** Where a schema file lists the loss path ids. */
    static final java.util.regex.Pattern PATH_IDS_MARKER =
            java.util.regex.Pattern.compile("\\[\\s*\"@lossPathIds\"\\s*]");

    private Schemas() {
    }

    /** The registry's path ids as a JSON array, in report order. */
    private static String pathIds() {
        return LossPaths.all().stream().map(p -> "\"" + p.id() + "\"")
                .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
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
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .transform(t -> PATH_IDS_MARKER.matcher(t).replaceAll(java.util.regex.Matcher.quoteReplacement(pathIds())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
