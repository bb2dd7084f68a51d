package dev.softmaxlab.experiments.probe;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ValueNode;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.core.loss.LossOptions;
import dev.softmaxlab.experiments.io.UserText;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.report.JsonErrors;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Arrays;

/**
 * Parses one JSON Lines case: {@code {"logits":[...],"label":k}} or {@code {"logits":[...],"target":[...]}}, with an
 * optional {@code "id"} (any JSON scalar) that the output carries as given. A label may be written as an integral
 * number such as 2.0.
 * Numbers may be JSON numbers or the strings "NaN", "Infinity", "-Infinity". Unknown fields are refused (a typo such
 * as "lable" must not silently drop the label), and so is a repeated field (which of two labels was meant?). Every
 * error is one line naming the source, the line and the field.
 * Stateless and thread-safe, so lines can be parsed on worker threads. Plain lines are read by {@link PlainCaseLine}
 * (the same values, several times faster); every other line, and every error, goes through Jackson.
 */
public final class JsonLinesCaseParser {

    private static final JsonFactory FACTORY = Json.mapper().getFactory();
    private static final String EXAMPLE = "{\"logits\":[2.0,1.0,0.1],\"label\":0}";

    private final String source;
    private final boolean plainFastPath;
    private final int ignoreIndex;

    /** @param source how the input is named in messages, e.g. "--input cases.jsonl" */
    public JsonLinesCaseParser(String source) {
        this(source, true);
    }

    /** @param ignoreIndex a label accepted besides 0..C-1: the loss head's ignore index */
    public JsonLinesCaseParser(String source, int ignoreIndex) {
        this(source, true, ignoreIndex);
    }

    /**
     * @param plainFastPath whether plain lines go through {@link PlainCaseLine} first; false parses every line with
     *                      Jackson (the reference the fast reader is tested against)
     */
    JsonLinesCaseParser(String source, boolean plainFastPath) {
        this(source, plainFastPath, LossOptions.DEFAULTS.ignoreIndex());
    }

    private JsonLinesCaseParser(String source, boolean plainFastPath, int ignoreIndex) {
        this.source = source;
        this.plainFastPath = plainFastPath;
        this.ignoreIndex = ignoreIndex;
    }

    /**
     * Parses {@code text}, line {@code line} (from 1) of the source, as case {@code index}.
     *
     * @throws InvalidInputException naming the source, the line and what to fix
     */
    public ProbeCase parse(String text, long line, int index) {
        return parse(text.toCharArray(), line, index);
    }

    /**
     * {@link #parse(String, long, int)} of a line held as chars (as {@link JsonLinesSource} reads it).
     *
     * @param chars the line; not modified
     */
    public ProbeCase parse(char[] chars, long line, int index) {
        ProbeCase.Fields f = ProbeCase.Fields.jsonLine(source, line, ignoreIndex);
        if (plainFastPath) {
            PlainCaseLine.Members m = PlainCaseLine.read(chars);
            if (m != null && m.logits() != null && (m.label() == null) != (m.target() == null)) {
                return m.label() != null ? ProbeCase.sparse(index, m.logits(), m.label(), f)
                        : ProbeCase.dense(index, m.logits(), m.target(), f);
            }
        }
        // from a char[]: Jackson reads a String over 32 K chars (a line of ~1,500 numbers) through a StringReader in
        // small chunks, and numbers cut at a chunk edge take its slow path; a char[] is parsed in place
        try (JsonParser p = FACTORY.createParser(chars)) {
            p.enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER.mappedFeature());
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw f.error("expected a JSON object such as " + EXAMPLE);
            }
            double[] logits = null;
            double[] target = null;
            Integer label = null;
            ValueNode id = null;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String name = p.currentName();
                p.nextToken();
                // a repeated field is refused: which of two labels was meant cannot be guessed (RFC 8259 leaves it open)
                switch (name) {
                    case "logits" -> logits = once(logits, f, f.logits(), readVector(p, f, f.logits()));
                    case "target" -> target = once(target, f, f.target(), readVector(p, f, f.target()));
                    case "label" -> label = once(label, f, f.label(), readLabel(p, f));
                    case "id" -> id = once(id, f, "\"id\"", readId(p, f));
                    default -> throw f.error("unknown field " + UserText.quote(name) + ": expected \"logits\" with "
                            + "\"label\" or \"target\" (and an optional \"id\"), e.g. " + EXAMPLE);
                }
            }
            if (p.nextToken() != null) {
                throw f.error("more than one JSON value on the line: give one case object per line");
            }
            if (logits == null) {
                throw f.error("\"logits\" is missing: give e.g. " + EXAMPLE);
            }
            if (label != null && target != null) {
                throw f.error("both \"label\" and \"target\" given: keep one");
            }
            if (label == null && target == null) {
                throw f.error("no target: add \"label\" (a class index) or \"target\" (a distribution)");
            }
            ProbeCase c = label != null ? ProbeCase.sparse(index, logits, label, f)
                    : ProbeCase.dense(index, logits, target, f);
            return id != null ? c.withId(id) : c;
        } catch (JsonProcessingException e) {
            JsonErrors.Problem problem = JsonErrors.describe(e);
            String column = e.getLocation() != null && e.getLocation().getColumnNr() > 0
                    ? " at column " + e.getLocation().getColumnNr() : "";
            throw f.error("malformed JSON" + column + ": " + problem.message() + "; each line must be one object such as "
                    + EXAMPLE);
        } catch (IOException e) {
            throw f.error("unreadable line: " + UserText.line(e.getMessage()));
        }
    }

    /** The value just read for a field, unless the field was already given on the line. */
    private static <T> T once(T earlier, ProbeCase.Fields f, String field, T value) {
        if (earlier != null) {
            throw f.error(field + " given twice: keep one");
        }
        return value;
    }

    private static double[] readVector(JsonParser p, ProbeCase.Fields f, String field) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw f.error(field + " must be an array of numbers, e.g. [2.0,1.0,0.1]");
        }
        double[] v = new double[16];
        int n = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            double x;
            if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                x = p.getDoubleValue();
                if (Double.isInfinite(x)) {
                    throw f.error(field + " value " + (n + 1) + " '" + p.getText() + "' is beyond the double range: "
                            + "write \"Infinity\" or \"-Infinity\" if you mean it");
                }
            } else if (t == JsonToken.VALUE_STRING) {
                try {
                    x = NumberTokens.parse(p.getText());
                } catch (NumberFormatException e) {
                    throw f.error(field + " value " + (n + 1) + ": " + e.getMessage());
                }
            } else {
                throw f.error(field + " value " + (n + 1) + " is " + describe(t)
                        + ", not a number: give numbers, or the strings \"NaN\", \"Infinity\", \"-Infinity\"");
            }
            if (n == v.length) {
                v = Arrays.copyOf(v, n * 2);
            }
            v[n++] = x;
        }
        return Arrays.copyOf(v, n);
    }

    /**
     * A class index: a JSON integer, or a number with an integral value such as 2.0 (as Python's json.dumps writes a
     * float label); 2.5 is refused.
     */
    private static int readLabel(JsonParser p, ProbeCase.Fields f) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw f.error("\"label\" must be an integer class index, got " + describe(t)
                    + (t.isScalarValue() ? " " + UserText.quote(p.getText()) : ""));
        }
        BigDecimal value;
        try {
            value = p.getDecimalValue();
        } catch (NumberFormatException | ArithmeticException e) {
            throw f.error("\"label\" " + UserText.quote(p.getText()) + " is not a class index: give an integer");
        }
        if (value.signum() != 0 && value.stripTrailingZeros().scale() > 0) {
            throw f.error("\"label\" " + UserText.quote(p.getText()) + " is not a whole number: give a class index "
                    + "such as 2");
        }
        try {
            // digits before the point first: 1e999999999 must not be expanded to find out it is too big
            if (value.precision() - value.scale() > 10) {
                throw new ArithmeticException("too many digits");
            }
            return value.intValueExact();
        } catch (ArithmeticException e) {
            throw f.error("\"label\" " + UserText.quote(p.getText()) + " is out of range: give a class index 0..C-1");
        }
    }

    /** An "id": any JSON scalar, kept as given (numbers exactly, not rounded to a double). */
    private static ValueNode readId(JsonParser p, ProbeCase.Fields f) throws IOException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (p.currentToken()) {
            case VALUE_STRING -> nodes.textNode(p.getText());
            case VALUE_NUMBER_INT -> nodes.numberNode(p.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT -> nodes.numberNode(p.getDecimalValue());
            case VALUE_TRUE -> nodes.booleanNode(true);
            case VALUE_FALSE -> nodes.booleanNode(false);
            case VALUE_NULL -> nodes.nullNode();
            default -> throw f.error("\"id\" must be a string, a number, true, false or null, got "
                    + describe(p.currentToken()));
        };
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a decimal";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }
}
