package dev.softmaxlab.experiments.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.config.TrainConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpectationTest {

    private static final String GRID = "{\"logitScale\":[1,100,1000]}";

    private static Expectation expectation(String json) {
        ExperimentSpec s = SpecLoader.parse("{\"schema\":\"softmaxlab.spec/1\",\"name\":\"e\",\"description\":\"d\","
                + "\"base\":{\"paths\":[\"fused\",\"separate-naive\"]},\"grid\":" + GRID + ",\"expect\":[" + json + "]}",
                "e");
        return s.expect().get(0);
    }

    /** Rows for logit scales 1, 100, 1000 × fused, separate-naive: naive's loss is NaN from scale 100 on. */
    private static List<ResultRow> rows() {
        List<ResultRow> rows = new ArrayList<>();
        for (double scale : new double[] {1, 100, 1000}) {
            ObjectNode point = Json.mapper().createObjectNode().put("logitScale", scale);
            ObjectNode overrides = point.deepCopy();
            overrides.putArray("paths").add("fused").add("separate-naive");
            ObjectNode config = TrainConfig.resolve(overrides).toJson();
            for (String path : List.of("fused", "separate-naive")) {
                boolean breaks = path.equals("separate-naive") && scale >= 100;
                ObjectNode s = Json.mapper().createObjectNode();
                s.put("status", "completed");
                if (breaks) {
                    s.put("finalTrainLoss", "NaN").put("firstNonFiniteStep", (int) (1000 / scale));
                } else {
                    s.put("finalTrainLoss", 0.25).putNull("firstNonFiniteStep");
                }
                s.put("totalNonFinite", breaks ? 4 : 0);
                s.putObject("events").put("clipped", 0).putObject("loss").put("nan", breaks ? 2 : 0);
                rows.add(new ResultRow("run" + (int) scale, point, config, path, "fp32", s));
            }
        }
        return rows;
    }

    @Test
    void passingExpectationChecksEveryMatchingRow() {
        Verdict v = expectation("{\"where\":{\"path\":\"fused\"},\"metric\":\"totalNonFinite\",\"equals\":0}")
                .evaluate(rows());
        assertEquals("pass", v.status());
        assertEquals(3, v.checked());
    }

    @Test
    void failingExpectationNamesTheRunsThatBrokeItWithTheirValues() {
        Verdict v = expectation("{\"where\":{\"path\":\"separate-naive\"},\"metric\":\"totalNonFinite\",\"equals\":0}")
                .evaluate(rows());
        assertEquals("fail", v.status());
        assertEquals(List.of("run100", "run1000"), v.violations().stream().map(Violation::runId).toList());
        assertEquals(4, v.violations().get(0).actual().asInt());
        assertEquals(100.0, v.violations().get(0).point().get("logitScale").asDouble());
    }

    @Test
    void comparisonsInWhereSelectRows() {
        Expectation e = expectation("{\"where\":{\"path\":\"separate-naive\",\"logitScale\":{\"gte\":100}},"
                + "\"metric\":\"firstNonFiniteStep\",\"notNull\":true}");
        Verdict v = e.evaluate(rows());
        assertEquals("pass", v.status());
        assertEquals(2, v.checked());
        Verdict strict = expectation("{\"where\":{\"path\":\"separate-naive\",\"logitScale\":{\"gt\":1}},"
                + "\"metric\":\"firstNonFiniteStep\",\"lte\":5}").evaluate(rows());
        assertEquals("fail", strict.status()); // 1000/100 = 10 > 5
        assertEquals(List.of("run100"), strict.violations().stream().map(Violation::runId).toList());
    }

    @Test
    void nanFailsEveryComparisonAndCountsAsNotFinite() {
        assertEquals("fail", expectation("{\"metric\":\"finalTrainLoss\",\"lte\":1}").evaluate(rows()).status());
        assertEquals("pass", expectation("{\"where\":{\"path\":\"separate-naive\",\"logitScale\":1000},"
                + "\"metric\":\"finalTrainLoss\",\"finite\":false}").evaluate(rows()).status());
        assertEquals("pass", expectation("{\"where\":{\"path\":\"separate-naive\",\"logitScale\":1000},"
                + "\"metric\":\"finalTrainLoss\",\"equals\":\"NaN\"}").evaluate(rows()).status());
        assertEquals("fail", expectation("{\"metric\":\"finalTrainLoss\",\"finite\":true}").evaluate(rows()).status());
    }

    @Test
    void nullChecksAndNestedMetrics() {
        Verdict isNull = expectation("{\"where\":{\"path\":\"fused\"},\"metric\":\"firstNonFiniteStep\",\"isNull\":true}")
                .evaluate(rows());
        assertEquals("pass", isNull.status());
        Verdict nan = expectation("{\"where\":{\"logitScale\":1},\"metric\":\"events.loss.nan\",\"equals\":0}")
                .evaluate(rows());
        assertEquals("pass", nan.status());
        assertEquals(2, nan.checked());
        Verdict nanFail = expectation("{\"metric\":\"events.loss.nan\",\"lt\":1}").evaluate(rows());
        assertEquals(2, nanFail.violations().size());
    }

    @Test
    void numbersCompareByValueAndSeveralChecksMustAllHold() {
        assertEquals("pass", expectation("{\"where\":{\"logitScale\":100.0,\"path\":\"fused\"},"
                + "\"metric\":\"finalTrainLoss\",\"equals\":0.25}").evaluate(rows()).status());
        Verdict both = expectation("{\"where\":{\"path\":\"fused\"},\"metric\":\"finalTrainLoss\",\"gt\":0.1,\"lt\":0.2}")
                .evaluate(rows());
        assertEquals("fail", both.status());
        assertEquals(3, both.violations().size());
    }

    @Test
    void vsComparesEachRowWithItsBaselineRow() {
        // naive's firstNonFiniteStep is 1000/scale: 10 at 100, 1 at 1000; the baseline is the same path at 100
        Verdict earlier = expectation("{\"where\":{\"path\":\"separate-naive\",\"logitScale\":1000},"
                + "\"metric\":\"firstNonFiniteStep\",\"vs\":{\"logitScale\":100},\"lt\":0}").evaluate(rows());
        assertEquals("pass", earlier.status());
        assertEquals(1, earlier.checked());
        Verdict later = expectation("{\"where\":{\"path\":\"separate-naive\",\"logitScale\":1000},"
                + "\"metric\":\"firstNonFiniteStep\",\"vs\":{\"logitScale\":100},\"gt\":0}").evaluate(rows());
        assertEquals("fail", later.status());
        JsonNode actual = later.violations().get(0).actual();
        assertEquals(1, actual.get("value").asInt());
        assertEquals(10, actual.get("baseline").asInt());
        assertEquals(-9.0, actual.get("difference").asDouble());
        assertEquals("run100", actual.get("baselineRunId").asText());
        assertEquals("separate-naive", actual.get("baselinePath").asText());
        assertEquals("fp32", actual.get("baselinePrecision").asText());
        // another path as baseline: fused's total minus naive's at every scale ≥ 100 is -4
        Verdict paths = expectation("{\"where\":{\"path\":\"fused\",\"logitScale\":{\"gte\":100}},"
                + "\"metric\":\"totalNonFinite\",\"vs\":{\"path\":\"separate-naive\"},\"equals\":-4}").evaluate(rows());
        assertEquals("pass", paths.status());
        assertEquals(2, paths.checked());
        // a NaN on either side is never a passing difference
        Verdict nan = expectation("{\"where\":{\"path\":\"separate-naive\",\"logitScale\":1000},"
                + "\"metric\":\"finalTrainLoss\",\"vs\":{\"logitScale\":1},\"lt\":1e300}").evaluate(rows());
        assertEquals("fail", nan.status());
    }

    @Test
    void neHoldsForEveryOtherNumberButNeverForNaNOrNull() {
        // totalNonFinite: 0 for fused everywhere and naive at scale 1, 4 for naive at 100 and 1000
        Verdict ne = expectation("{\"metric\":\"totalNonFinite\",\"ne\":4}").evaluate(rows());
        assertEquals(List.of("run100", "run1000"), ne.violations().stream().map(Violation::runId).toList());
        assertEquals(6, ne.checked());
        // naive's loss is NaN at 100 and 1000: NaN is not "another number"
        Verdict nan = expectation("{\"where\":{\"path\":\"separate-naive\"},\"metric\":\"finalTrainLoss\","
                + "\"ne\":0.5}").evaluate(rows());
        assertEquals(List.of("run100", "run1000"), nan.violations().stream().map(Violation::runId).toList());
        // fused's firstNonFiniteStep is null
        assertEquals("fail", expectation("{\"where\":{\"path\":\"fused\"},\"metric\":\"firstNonFiniteStep\","
                + "\"ne\":1}").evaluate(rows()).status());
        assertEquals("≠ 4", new Check("ne", Json.mapper().getNodeFactory().numberNode(4)).describe());
    }

    @Test
    void ifNullPassLetsANullThroughAndOnlyANull() {
        String lte5 = "\"metric\":\"firstNonFiniteStep\",\"lte\":5";
        // without ifNull, fused's null fails lte; naive's 10 at scale 100 fails it too
        Verdict strict = expectation("{" + lte5 + "}").evaluate(rows());
        assertEquals(List.of("run1", "run1", "run100", "run100", "run1000"),
                strict.violations().stream().map(Violation::runId).toList());
        assertEquals(strict.violations(), expectation("{" + lte5 + ",\"ifNull\":\"fail\"}").evaluate(rows())
                .violations());
        Verdict lenient = expectation("{" + lte5 + ",\"ifNull\":\"pass\"}").evaluate(rows());
        assertEquals(List.of("run100"), lenient.violations().stream().map(Violation::runId).toList());
        assertEquals(6, lenient.checked());
        assertEquals("firstNonFiniteStep ≤ 5 or null", expectation("{" + lte5 + ",\"ifNull\":\"pass\"}").describe());
        // a NaN is not a null: ifNull does not let it through
        Verdict nan = expectation("{\"metric\":\"finalTrainLoss\",\"lt\":1,\"ifNull\":\"pass\"}").evaluate(rows());
        assertEquals(2, nan.violations().size());
    }

    @Test
    void rowsWithoutSummaryAreNotCheckedAndAllMissingMeansSkipped() {
        List<ResultRow> failed = new ArrayList<>();
        for (ResultRow r : rows()) {
            failed.add(new ResultRow(r.runId(), r.point(), r.config(), r.path(), r.precision(), (JsonNode) null));
        }
        Verdict v = expectation("{\"metric\":\"totalNonFinite\",\"equals\":0}").evaluate(failed);
        assertEquals("skipped", v.status());
        assertEquals(0, v.checked());
    }
}
