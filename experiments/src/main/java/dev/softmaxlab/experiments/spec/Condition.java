package dev.softmaxlab.experiments.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One key of an expectation's {@code where}: a plain value matches by equality ({@code "path":"fused"}), an object
 * by comparisons that must all hold ({@code "logitScale":{"gte":100,"lt":1000}}) or by membership
 * ({@code "precision":{"in":["bf16","fp16"]}}).
 *
 * @param equals      the value to equal, or null
 * @param in          the values one of which to equal, or null
 * @param comparisons numeric bounds, all of which must hold
 */
public record Condition(JsonNode equals, List<JsonNode> in, Map<Comparison, Double> comparisons) {

    public Condition {
        in = in == null ? null : List.copyOf(in);
        comparisons = Map.copyOf(comparisons);
    }

    public boolean matches(JsonNode value) {
        if (value == null) {
            return false;
        }
        if (equals != null && !JsonValues.same(value, equals)) {
            return false;
        }
        if (in != null && in.stream().noneMatch(v -> JsonValues.same(value, v))) {
            return false;
        }
        if (!comparisons.isEmpty()) {
            OptionalDouble x = JsonValues.number(value);
            if (x.isEmpty()) {
                return false;
            }
            for (Map.Entry<Comparison, Double> c : comparisons.entrySet()) {
                if (!c.getKey().holds(x.getAsDouble(), c.getValue())) {
                    return false;
                }
            }
        }
        return true;
    }
}
