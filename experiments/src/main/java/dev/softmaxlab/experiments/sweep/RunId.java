package dev.softmaxlab.experiments.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softmaxlab.experiments.spec.CanonicalJson;
import java.util.regex.Pattern;

/**
 * A run's id: the first 12 hex digits (48 bits) of the SHA-256 of its resolved config's canonical JSON. Equal
 * configs get equal ids whatever their key order, on every machine, so a result file can be found again by
 * {@code --resume} and by {@code merge}; ids are hex, so they are safe file names.
 */
public final class RunId {

    public static final int LENGTH = 12;
    private static final Pattern FORM = Pattern.compile("[0-9a-f]{" + LENGTH + "}");

    private RunId() {
    }

    public static String of(JsonNode resolvedConfig) {
        return CanonicalJson.sha256(resolvedConfig).substring(0, LENGTH);
    }

    /** Whether {@code s} has the form of a run id (and so is a safe file name). */
    public static boolean isValid(String s) {
        return s != null && FORM.matcher(s).matches();
    }
}
