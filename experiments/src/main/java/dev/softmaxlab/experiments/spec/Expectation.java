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
 * <p>With {@code vs}, the checks apply to a difference instead: the row's metric minus the metric of its baseline
 * row, which is the row of the run whose config equals this row's with the {@code vs} values put in (same path and
 * precision unless {@code vs} names them). {@code {"where":{"accumulate":"fp16"}, "metric":"finalTrainLoss",
 * "vs":{"accumulate":"fp32"}, "lt":0}} reads: accumulating in fp16 gives a lower final loss than in fp32, run by run.
 *
 * @param index  its position in {@code expect}
 * @param source the expectation as written
 * @param where  conditions by key ({@code path}, {@code precision} or a config key), all of which must hold
 * @param metric the summary metric checked
 * @param checks the checks on it, all of which must hold
 * <p>A check that reads a number fails on a null (a metric that has no value, such as the
 * {@code firstNonFiniteStep} of a run that stayed finite, or a difference with a null side). With
 * {@code "ifNull": "pass"} a null value passes the expectation instead, which is how {@code --fail-on} lets a run that
 * never went non-finite through {@code first-nonfinite-step<=3}.
 *
 * @param index      its position in {@code expect}
 * @param source     the expectation as written
 * @param where      conditions by key ({@code path}, {@code precision} or a config key), all of which must hold
 * @param metric     the summary metric checked
 * @param checks     the checks on it, all of which must hold
 * @param vs         the baseline's values by key ({@code path}, {@code precision} or a config key); empty for none
 * @param nullPasses {@code "ifNull": "pass"}: a null value passes (the default, {@code "fail"}, fails the checks)
 */
public record Expectation(int index, ObjectNode source, Map<String, Condition> where, String metric,
                          List<Check> checks, Map<String, JsonNode> vs, boolean nullPasses) {

    /** The values {@code ifNull} takes. */
    public static final List<String> IF_NULL = List.of("fail", "pass");

    public Expectation {
        where = Map.copyOf(where);
        checks = List.copyOf(checks);
        vs = Map.copyOf(vs);
    }

    public Expectation(int index, ObjectNode source, Map<String, Condition> where, String metric,
                       List<Check> checks, Map<String, JsonNode> vs) {
        this(index, source, where, metric, checks, vs, false);
    }

    /** The baseline row of {@code row} among {@code rows} (null if there is none); only meaningful with {@code vs}. */
    public ResultRow baseline(ResultRow row, List<ResultRow> rows) {
        ObjectNode want = row.config().deepCopy();
        String path = row.path();
        String precision = row.precision();
        for (Map.Entry<String, JsonNode> e : vs.entrySet()) {
            switch (e.getKey()) {
                case "path" -> path = e.getValue().asText();
                case "precision" -> precision = e.getValue().asText();
                default -> want.set(e.getKey(), e.getValue());
            }
        }
        for (ResultRow b : rows) {
            if (b.path().equals(path) && b.precision().equals(precision) && JsonValues.same(b.config(), want)) {
                return b;
            }
        }
        return null;
    }

    public boolean selects(ResultRow row) {
        for (Map.Entry<String, Condition> w : where.entrySet()) {
            if (!w.getValue().matches(row.whereValue(w.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A row an expectation was checked on.
     *
     * @param row    the row
     * @param actual the metric's value, or with {@code vs} the object of value, baseline and difference
     * @param passed whether every check held
     */
    public record CheckedRow(ResultRow row, JsonNode actual, boolean passed) {

        /** The value the checks compared: the metric, or with {@code vs} the difference. */
        public JsonNode checkedValue() {
            JsonNode d = actual.get("difference");
            return actual.isObject() && d != null ? d : actual;
        }
    }

    /**
     * Checks every matching row that has a summary (and, with {@code vs}, whose baseline has one); rows without
     * (failed or absent runs) are not counted.
     */
    public Verdict evaluate(List<ResultRow> rows) {
        List<CheckedRow> checked = check(rows);
        List<Violation> violations = new ArrayList<>();
        for (CheckedRow c : checked) {
            if (!c.passed()) {
                ResultRow row = c.row();
                violations.add(new Violation(row.runId(), row.path(), row.precision(), row.point(), c.actual()));
            }
        }
        String status = checked.isEmpty() ? "skipped" : violations.isEmpty() ? "pass" : "fail";
        return new Verdict(index, source, status, checked.size(), violations);
    }

    /** Every row this expectation checks, in row order, with its value and whether it passed. */
    public List<CheckedRow> check(List<ResultRow> rows) {
        List<CheckedRow> checked = new ArrayList<>();
        for (ResultRow row : rows) {
            if (row.summary() == null || !selects(row)) {
                continue;
            }
            JsonNode actual = Metrics.valueIn(row.summary(), metric);
            if (!vs.isEmpty()) {
                ResultRow b = baseline(row, rows);
                if (b == null || b.summary() == null) {
                    continue;
                }
                actual = difference(actual, Metrics.valueIn(b.summary(), metric), b);
            }
            JsonNode checkedValue = vs.isEmpty() ? actual : actual.get("difference");
            if (nullPasses && (checkedValue == null || checkedValue.isNull())) {
                checked.add(new CheckedRow(row, actual, true)); // ifNull: pass counts the row as checked and held
                continue;
            }
            boolean passed = true;
            for (Check c : checks) {
                if (!c.holds(checkedValue)) {
                    passed = false;
                    break;
                }
            }
            checked.add(new CheckedRow(row, actual, passed));
        }
        return checked;
    }

    /**
     * {@code {"value":v,"baseline":b,"difference":v-b,"baselineRunId":..,"baselinePath":..,"baselinePrecision":..}};
     * the difference is null unless both are numbers.
     */
    private static JsonNode difference(JsonNode value, JsonNode baseline, ResultRow baselineRow) {
        ObjectNode d = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        d.set("value", value);
        d.set("baseline", baseline);
        var x = JsonValues.number(value);
        var y = JsonValues.number(baseline);
        if (x.isPresent() && y.isPresent()) {
            double diff = x.getAsDouble() - y.getAsDouble();
            if (Double.isFinite(diff)) {
                d.put("difference", diff);
            } else {
                d.put("difference", Double.isNaN(diff) ? "NaN" : diff > 0 ? "Infinity" : "-Infinity");
            }
        } else {
            d.putNull("difference");
        }
        d.put("baselineRunId", baselineRow.runId());
        d.put("baselinePath", baselineRow.path());
        d.put("baselinePrecision", baselineRow.precision());
        return d;
    }

    /** {@code finalTestAccuracy ≥ 0.9 where path=fused}. */
    public String describe() {
        StringBuilder b = new StringBuilder(metric);
        if (!vs.isEmpty()) {
            b.append(" minus its value at ").append(source.get("vs"));
        }
        for (Check c : checks) {
            b.append(' ').append(c.describe());
            if (checks.size() > 1) {
                b.append(',');
            }
        }
        if (checks.size() > 1) {
            b.setLength(b.length() - 1);
        }
        if (nullPasses) {
            b.append(" or null");
        }
        JsonNode w = source.get("where");
        if (w != null && w.size() > 0) {
            b.append(" where ").append(w);
        }
        return b.toString();
    }
}
