package dev.softmaxlab.experiments.plot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softmaxlab.core.InvalidInputException;

/**
 * Reads the fields of a document being plotted, and refuses a missing or mistyped one in one line naming the file,
 * the field and what was expected. Numbers may be the strings "NaN", "Infinity", "-Infinity" (strict RFC 8259).
 */
final class Fields {

    private final String source;

    Fields(String source) {
        this.source = source;
    }

    String source() {
        return source;
    }

    /** A number field, non-finite strings included. */
    double number(JsonNode parent, String field, String where) {
        JsonNode v = parent.get(field);
        if (v != null && v.isNumber()) {
            return v.doubleValue();
        }
        if (v != null && v.isTextual()) {
            switch (v.asText()) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
        }
        throw bad(where + "." + field, v, "a number (or \"NaN\", \"Infinity\", \"-Infinity\")");
    }

    /** A number field that may be null: NaN for null. */
    double numberOrNaN(JsonNode parent, String field, String where) {
        JsonNode v = parent.get(field);
        return v == null || v.isNull() ? Double.NaN : number(parent, field, where);
    }

    String text(JsonNode parent, String field, String where) {
        JsonNode v = parent.get(field);
        if (v == null || !v.isTextual()) {
            throw bad(where + "." + field, v, "a string");
        }
        return v.asText();
    }

    JsonNode array(JsonNode parent, String field, String where) {
        JsonNode v = parent.get(field);
        if (v == null || !v.isArray()) {
            throw bad(where + "." + field, v, "an array");
        }
        return v;
    }

    JsonNode object(JsonNode parent, String field, String where) {
        JsonNode v = parent.get(field);
        if (v == null || !v.isObject()) {
            throw bad(where + "." + field, v, "an object");
        }
        return v;
    }

    InvalidInputException bad(String field, JsonNode value, String expected) {
        String got = value == null ? "missing" : abbreviate(value.toString());
        return new InvalidInputException(source + ": " + field + " is " + got + ", not " + expected
                + ": give a document as softmaxlab wrote it");
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
