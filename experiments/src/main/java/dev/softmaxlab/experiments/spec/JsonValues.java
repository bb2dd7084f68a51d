package dev.softmaxlab.experiments.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalDouble;

/** Comparisons of JSON values as a spec means them: 100 equals 100.0, and "NaN"/"Infinity"/"-Infinity" are numbers. */
public final class JsonValues {

    private JsonValues() {
    }

    /** The number a value stands for: a JSON number, or one of the three non-finite strings the reports write. */
    public static OptionalDouble number(JsonNode v) {
        if (v.isNumber()) {
            return OptionalDouble.of(v.doubleValue());
        }
        if (v.isTextual()) {
            switch (v.textValue()) {
                case "NaN":
                    return OptionalDouble.of(Double.NaN);
                case "Infinity":
                    return OptionalDouble.of(Double.POSITIVE_INFINITY);
                case "-Infinity":
                    return OptionalDouble.of(Double.NEGATIVE_INFINITY);
                default:
                    return OptionalDouble.empty();
            }
        }
        return OptionalDouble.empty();
    }

    /** Equality with numbers compared by value (and NaN equal to NaN, as a user writing "equals":"NaN" means). */
    static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return Double.compare(a.doubleValue(), b.doubleValue()) == 0
                    || a.doubleValue() == b.doubleValue(); // 0.0 == -0.0
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!same(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!b.has(e.getKey()) || !same(e.getValue(), b.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }
}
