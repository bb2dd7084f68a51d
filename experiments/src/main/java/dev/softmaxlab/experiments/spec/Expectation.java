package dev.softmaxlab.experiments.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One entry of a spec's {@code expect}: every result row that matches {@code where} must pass every check on
 * {@code metric}. For example {@code {"where":{"path":"fused"}, "metric":"totalNonFinite", "equals":0}}.
 *
 * @param index  its position in {@code expect}
 * @param source the expectation as written
 * @param where  conditions by key ({@code path}, {@code precision} or a config key), all of which must hold
 * @param metric the summary metric checked
 * @param checks the checks on it, all of which must hold
 */
public record Expectation(int index, ObjectNode source, Map<String, Condition> where, String metric,
                          List<Check> checks) {

    public Expectation {
        where = Map.copyOf(where);
        checks = List.copyOf(checks);
    }

    public boolean selects(ResultRow row) {
        for (Map.Entry<String, Condition> w : where.entrySet()) {
            if (!w.getValue().matches(row.whereValue(w.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Checks every matching row that has a summary; rows without one (failed or absent runs) are not counted. */
    public Verdict evaluate(List<ResultRow> rows) {
        int checked = 0;
        List<Violation> violations = new ArrayList<>();
        for (ResultRow row : rows) {
            if (row.summary() == null || !selects(row)) {
                continue;
            }
            checked++;
            JsonNode actual = Metrics.valueIn(row.summary(), metric);
            for (Check c : checks) {
                if (!c.holds(actual)) {
                    violations.add(new Violation(row.runId(), row.path(), row.precision(), row.point(), actual));
                    break;
                }
            }
        }
        String status = checked == 0 ? "skipped" : violations.isEmpty() ? "pass" : "fail";
        return new Verdict(index, source, status, checked, violations);
    }

    /** {@code finalTestAccuracy ≥ 0.9 where path=fused}. */
    public String describe() {
        StringBuilder b = new StringBuilder(metric);
        for (Check c : checks) {
            b.append(' ').append(c.describe());
            if (checks.size() > 1) {
                b.append(',');
            }
        }
        if (checks.size() > 1) {
            b.setLength(b.length() - 1);
        }
        JsonNode w = source.get("where");
        if (w != null && w.size() > 0) {
            b.append(" where ").append(w);
        }
        return b.toString();
    }
}
