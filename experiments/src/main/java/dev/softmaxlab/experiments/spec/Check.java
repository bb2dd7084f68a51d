package dev.softmaxlab.experiments.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.OptionalDouble;

/**
 * One assertion on a metric's value, by its JSON key: {@code equals}, {@code notNull}, {@code isNull},
 * {@code finite} (a finite number, or with false: NaN or ±∞), {@code gte}, {@code lte}, {@code gt}, {@code lt}, and
 * {@code ne} (a number other than the operand). Like the comparisons, {@code ne} holds for no NaN and no null: a check
 * that reads a number fails on both, unless the expectation says {@code "ifNull": "pass"} (see {@link Expectation}).
 *
 * @param key      the JSON key
 * @param operand  the value written in the spec
 */
public record Check(String key, JsonNode operand) {

    /** Every check key, in the order error messages list them. */
    public static final java.util.List<String> KEYS =
            java.util.List.of("equals", "ne", "notNull", "isNull", "finite", "gte", "lte", "gt", "lt");

    public boolean holds(JsonNode actual) {
        boolean isNull = actual == null || actual.isNull();
        switch (key) {
            case "equals":
                return !isNull && JsonValues.same(actual, operand) || isNull && operand.isNull();
            case "ne": {
                OptionalDouble x = isNull ? OptionalDouble.empty() : JsonValues.number(actual);
                return x.isPresent() && !Double.isNaN(x.getAsDouble()) && x.getAsDouble() != operand.doubleValue();
            }
            case "notNull":
                return isNull != operand.booleanValue();
            case "isNull":
                return isNull == operand.booleanValue();
            case "finite": {
                OptionalDouble x = isNull ? OptionalDouble.empty() : JsonValues.number(actual);
                return x.isPresent() && Double.isFinite(x.getAsDouble()) == operand.booleanValue();
            }
            default: {
                Comparison c = Comparison.byKey(key);
                OptionalDouble x = isNull ? OptionalDouble.empty() : JsonValues.number(actual);
                return x.isPresent() && c.holds(x.getAsDouble(), operand.doubleValue());
            }
        }
    }

    /** The check as a reader would say it: {@code ≥ 0.9}, {@code is not null}. */
    public String describe() {
        return switch (key) {
            case "equals" -> "= " + operand;
            case "ne" -> "≠ " + operand;
            case "notNull" -> operand.booleanValue() ? "is not null" : "is null";
            case "isNull" -> operand.booleanValue() ? "is null" : "is not null";
            case "finite" -> operand.booleanValue() ? "is finite" : "is not finite";
            default -> Comparison.byKey(key).symbol() + " " + operand;
        };
    }
}
