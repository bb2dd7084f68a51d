package dev.softmaxlab.app.cli.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.report.EventCounts;
import dev.softmaxlab.experiments.report.RunSummary;
import dev.softmaxlab.experiments.report.TrainingRun;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FailOnConditionTest {

    private static final EventCounts NONE = new EventCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            new EventCounts.NonFiniteCounts(0, 0, 0), new EventCounts.NonFiniteCounts(0, 0, 0));

    private static TrainingRun run(String path, String precision, double testAccuracy, double testLoss,
                                   Integer firstNonFinite, long nonFinite, String status) {
        RunSummary s = new RunSummary(status, 10, 0.1, 0.9, testLoss, testAccuracy, firstNonFinite, 0, nonFinite,
                1.0, 2.0, 3.0, NONE);
        return new TrainingRun(TrainingRun.idOf(path, precision), path, precision, precision, List.of(), List.of(), s);
    }

    private static final List<TrainingRun> RUNS = List.of(
            run("fused", "fp32", 0.95, 0.2, null, 0, "completed"),
            run("fused", "fp16", 0.85, 0.4, null, 0, "completed"),
            run("separate-naive", "fp32", 0.0, Double.NaN, 3, 120, "completed"),
            run("separate", "fp32", 0.5, 1.0, 7, 2, "stopped"));

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "nonfinite                     | separate-naive@fp32,separate@fp32",
        "nonfinite:fused               | ''",
        "nonfinite:separate-naive      | separate-naive@fp32",
        "stopped                       | separate@fp32",
        "test-accuracy<0.9:fused       | fused@fp16",
        "test-accuracy<0.9:fused@fp32  | ''",
        "finalTestAccuracy>=0.95       | fused@fp32",
        "test-loss>0.3                 | fused@fp16,separate-naive@fp32,separate@fp32",
        "test-loss<0.3                 | fused@fp32,separate-naive@fp32",
        "first-nonfinite-step<=3       | separate-naive@fp32",
        "nonfinite-count!=0            | separate-naive@fp32,separate@fp32",
        "nonfinite-count==2            | separate@fp32",
        "test-accuracy>=0              | fused@fp32,fused@fp16,separate-naive@fp32,separate@fp32",
        "first-nonfinite-step!=3       | separate@fp32",
        "test-loss==0.2:fused@fp32     | fused@fp32",
    })
    void holdsForExactlyTheRunsItShould(String text, String expectedRuns) {
        FailOnCondition c = FailOnCondition.parse(text);
        List<String> lines = c.violations(RUNS);
        List<String> expected = expectedRuns.isEmpty() ? List.of() : List.of(expectedRuns.split(","));
        assertEquals(expected.size(), lines.size(), lines.toString());
        for (int i = 0; i < expected.size(); i++) {
            assertTrue(lines.get(i).startsWith("--fail-on " + text + " held for " + expected.get(i) + " ("),
                    lines.get(i));
        }
    }

    @Test
    void everyNumericSpecMetricIsAGateWithTheSameName() {
        // the spec's metric names, event counts included, read by the spec's own code
        for (var m : dev.softmaxlab.experiments.spec.Metrics.all().values()) {
            if (m.kind() == dev.softmaxlab.experiments.spec.Metrics.Kind.NUMBER) {
                assertEquals(m.name(), FailOnCondition.parse(m.name() + ">0").metric());
            }
        }
        EventCounts clipped = new EventCounts(0, 0, 0, 0, 0, 0, 0, 0, 5, 0,
                new EventCounts.NonFiniteCounts(0, 0, 0), new EventCounts.NonFiniteCounts(0, 0, 0));
        TrainingRun r = new TrainingRun("separate-clipped@fp32", "separate-clipped", "fp32", "fp32", List.of(),
                List.of(), new RunSummary("completed", 10, 0.1, 0.9, 0.2, 0.9, null, 0, 0, 1.0, 2.0, 3.0, clipped));
        assertEquals(List.of("--fail-on events.clipped>0 held for separate-clipped@fp32 (events.clipped = 5)"),
                FailOnCondition.parse("events.clipped>0").violations(List.of(r)));
        assertEquals(List.of(), FailOnCondition.parse("events.clipped>5").violations(List.of(r)));
    }

    /** Each form is the spec expectation it abbreviates, read the other way round, and nothing else. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "nonfinite                    | {'metric':'totalNonFinite','equals':0}",
        "stopped:fused                | {'where':{'path':'fused'},'metric':'status','equals':'completed'}",
        "test-accuracy<0.9:fused@fp16 | {'where':{'path':'fused','precision':'fp16'},'metric':'finalTestAccuracy','gte':0.9,'finite':true,'ifNull':'pass'}",
        "test-loss<=1                 | {'metric':'finalTestLoss','gt':1.0,'finite':true,'ifNull':'pass'}",
        "test-loss>1                  | {'metric':'finalTestLoss','lte':1.0,'finite':true,'ifNull':'pass'}",
        "test-loss>=1                 | {'metric':'finalTestLoss','lt':1.0,'finite':true,'ifNull':'pass'}",
        "skipped==2                   | {'metric':'skippedSteps','ne':2.0,'finite':true,'ifNull':'pass'}",
        "skipped!=2                   | {'metric':'skippedSteps','equals':2.0,'finite':true,'ifNull':'pass'}",
    })
    void eachConditionIsASpecExpectation(String text, String json) throws Exception {
        var expected = dev.softmaxlab.experiments.report.Json.mapper().readTree(json.replace('\'', '"'));
        assertEquals(expected, FailOnCondition.parse(text).expectation().source());
    }

    @Test
    void anInfiniteMetricFiresEveryComparisonAndANullNone() {
        List<TrainingRun> runs = List.of(
                run("separate", "fp16", 0.5, Double.POSITIVE_INFINITY, null, 1, "completed"),
                run("separate", "fp32", 0.5, Double.NEGATIVE_INFINITY, null, 1, "completed"));
        for (String op : List.of("<", "<=", ">", ">=", "==", "!=")) {
            assertEquals(2, FailOnCondition.parse("test-loss" + op + "0").violations(runs).size(), op);
            assertEquals(0, FailOnCondition.parse("first-nonfinite-step" + op + "0").violations(runs).size(), op);
        }
        assertEquals(List.of("--fail-on test-loss<0 held for separate@fp16 (finalTestLoss = Infinity)",
                "--fail-on test-loss<0 held for separate@fp32 (finalTestLoss = -Infinity)"),
                FailOnCondition.parse("test-loss<0").violations(runs));
    }

    @Test
    void theLineSaysWhy() {
        assertEquals(List.of("--fail-on nonfinite:separate-naive held for separate-naive@fp32 (totalNonFinite = "
                + "120, first at step 3)"), FailOnCondition.parse("nonfinite:separate-naive").violations(RUNS));
        assertEquals(List.of("--fail-on test-accuracy<0.9:fused held for fused@fp16 (finalTestAccuracy = "
                + "0.850000)"), FailOnCondition.parse("test-accuracy<0.9:fused").violations(RUNS));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "accuracy<0.9        | unknown metric 'accuracy'",
        "test-acc<0.9        | unknown metric 'test-acc'",
        "test-accuracy<      | '' is not a number",
        "test-accuracy<NaN   | the threshold must be finite",
        "nonfinit            | expected nonfinite, stopped, or METRIC<NUMBER (also <=, >, >=, ==, !=), each optionally followed by :PATH (did you mean 'nonfinite'?)",
        "nonfinite:          | nothing after ':'",
    })
    void badSyntaxIsAUserErrorNamingTheCondition(String text, String part) {
        String m = assertThrows(InvalidInputException.class, () -> FailOnCondition.parse(text)).getMessage();
        assertTrue(m.startsWith("--fail-on '" + text + "': "), m);
        assertTrue(m.contains(part), m);
    }

    @Test
    void aSelectorMustNameARun() {
        List<String> paths = List.of("fused", "separate");
        List<String> precisions = List.of("fp32", "fp16");
        FailOnCondition.parse("nonfinite:fused").checkSelector(paths, precisions);
        FailOnCondition.parse("nonfinite:separate@fp16").checkSelector(paths, precisions);
        FailOnCondition.parse("nonfinite").checkSelector(paths, precisions);
        String m = assertThrows(InvalidInputException.class,
                () -> FailOnCondition.parse("nonfinite:separate@bf16").checkSelector(paths, precisions)).getMessage();
        assertTrue(m.contains("no run is 'separate@bf16'"), m);
    }
}
