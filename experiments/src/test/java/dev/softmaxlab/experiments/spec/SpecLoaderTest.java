package dev.softmaxlab.experiments.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SpecLoaderTest {

    private static String spec(String base, String grid, String expect) {
        return "{\"schema\":\"softmaxlab.spec/1\",\"name\":\"t\",\"description\":\"d\",\"base\":" + base
                + ",\"grid\":" + grid + ",\"expect\":" + expect + "}";
    }

    private static List<SpecProblem> problems(String text) {
        SpecLoader.Result r = SpecLoader.check(text);
        assertFalse(r.ok(), "expected problems in " + text);
        return r.problems();
    }

    private static SpecProblem only(String text) {
        List<SpecProblem> p = problems(text);
        assertEquals(1, p.size(), p.toString());
        return p.get(0);
    }

    @Test
    void stepsOnTheGridOverrideEpochsFromTheBase() {
        // the grid overlays the base, so its steps must count even though epochs would otherwise win over steps
        ExperimentSpec s = SpecLoader.parse(spec("{\"epochs\":2}", "{\"steps\":[10,20]}", "[]"), "t");
        assertEquals(10, s.config(s.grid().point(0)).stepsFor(1000));
        assertEquals(20, s.config(s.grid().point(1)).stepsFor(1000));
        // epochs on the grid over steps in the base: epochs still win
        ExperimentSpec e = SpecLoader.parse(spec("{\"steps\":10}", "{\"epochs\":[1,2]}", "[]"), "t");
        assertEquals(2 * 1000 / 32 + 1, e.config(e.grid().point(1)).stepsFor(1000));
    }

    @Test
    void aSingleValueWhereAListIsExpectedIsAOneElementListAsWithFlags() {
        // "precision": "fp32" in a spec means ["fp32"], as --precision fp32 does; a grid of single values likewise
        ExperimentSpec s = SpecLoader.parse(spec("{\"precision\":\"fp32\",\"paths\":\"fused\"}",
                "{\"hidden\":[8,16],\"model\":[\"mlp\"]}", "[]"), "t");
        assertEquals(List.of(dev.softmaxlab.core.precision.Precision.FP32), s.config(s.grid().point(0)).precision());
        assertEquals(List.of(dev.softmaxlab.core.loss.LossPaths.byId("fused")), s.config(s.grid().point(0)).paths());
        assertEquals(List.of(16), s.config(s.grid().point(1)).model().hidden());
    }

    @Test
    void everyProblemIsReportedInOnePassEachAtItsOwnPath() {
        // before: a name or type problem stopped the check, and a bad value was reported at $.grid for the point
        List<SpecProblem> p = problems(spec("{\"paths\":[\"fused\",\"separte\"],\"logitScal\":2}",
                "{\"lr\":[0.1,0],\"steps\":[10,\"x\"]}",
                "[{\"metric\":\"totalNonFinit\",\"equals\":0}]"));
        List<String> where = p.stream().map(SpecProblem::where).toList();
        assertEquals(List.of("$.base.logitScal", "$.grid.steps[1]", "$.base.paths[1]", "$.grid.lr[1]",
                "$.expect[0].metric"), where, p.toString());
        assertTrue(p.get(2).message().contains("paths = 'separte': expected one of fused, separate"), p.toString());
        assertTrue(p.get(3).message().startsWith("lr = 0: must be a finite number > 0"), p.toString());
    }

    @Test
    void aKeyThatChangesNothingInAnyRunIsReportedWhereItIsGiven() {
        SpecProblem axis = only(spec("{}", "{\"momentum\":[0.5,0.9]}", "[]"));
        assertEquals("$.grid.momentum", axis.where());
        assertTrue(axis.message().startsWith("this axis changes nothing: momentum needs optimizer momentum, not sgd"),
                axis.message());
        SpecProblem base = only(spec("{\"beta1\":0.8}", "{\"optimizer\":[\"sgd\",\"momentum\"]}", "[]"));
        assertEquals("$.base.beta1", base.where());
        assertTrue(base.message().startsWith("beta1 needs optimizer adam, not sgd"), base.message());
        SpecProblem zipped = only(spec("{}", "{\"zip\":[{\"lr\":[0.1,1],\"momentum\":[0.9,0]}]}", "[]"));
        assertEquals("$.grid.zip[0].momentum", zipped.where());
        // a key that applies in some runs of the grid is fine
        assertTrue(SpecLoader.check(spec("{}", "{\"zip\":[{\"optimizer\":[\"sgd\",\"momentum\"],"
                + "\"momentum\":[0,0.9]}]}", "[]")).ok());
        assertTrue(SpecLoader.check(spec("{\"optimizer\":\"momentum\"}", "{\"zip\":[{\"lr\":[0.1,1],"
                + "\"momentum\":[0.9,0]}]}", "[]")).ok());
    }

    @Test
    void aValidSpecLoadsWithItsGridAndExpectations() {
        ExperimentSpec s = SpecLoader.parse(SpecTexts.SMALL, "small");
        assertEquals("small", s.name());
        assertEquals(6, s.grid().size());
        assertEquals(2, s.expect().size());
        assertEquals(64, s.hash().length());
    }

    @Test
    void unknownOptionIsLocatedAndTheNearestKeySuggested() {
        SpecProblem p = only(spec("{\"logitScal\":3}", "{}", "[]"));
        assertEquals("$.base.logitScal", p.where());
        assertTrue(p.message().contains("did you mean 'logitScale'"), p.message());
        SpecProblem g = only(spec("{}", "{\"learningRate\":[0.1]}", "[]"));
        assertEquals("$.grid.learningRate", g.where());
    }

    @Test
    void wrongTypesAreLocatedToTheElement() {
        SpecProblem p = only(spec("{}", "{\"logitScale\":[1,10,\"100\"]}", "[]"));
        assertEquals("$.grid.logitScale[2]", p.where());
        assertTrue(p.message().contains("must be a number"), p.message());
        assertEquals("$.base.steps", only(spec("{\"steps\":2.5}", "{}", "[]")).where());
        assertEquals("$.base.paths", only(spec("{\"paths\":7}", "{}", "[]")).where());
        assertEquals("$.grid.precision[1][0]", only(spec("{}", "{\"precision\":[[\"fp32\"],[16]]}", "[]")).where());
        assertEquals("$.base.standardize", only(spec("{\"standardize\":\"yes\"}", "{}", "[]")).where());
        assertEquals("$.base.lr", only(spec("{\"lr\":null}", "{}", "[]")).where());
    }

    @Test
    void nullIsAcceptedWhereTheDefaultIsNull() {
        assertTrue(SpecLoader.check(spec("{\"epochs\":null,\"accumulate\":null}", "{}", "[]")).ok());
    }

    @Test
    void aLabelColumnIsANameOrAnIndex() {
        String csv = "{\"dataset\":\"csv:iris.csv\"}"; // a label column applies to a csv dataset only
        assertTrue(SpecLoader.check(spec(csv, "{\"labelColumn\":[\"species\",4]}", "[]")).ok());
        assertEquals("$.grid.labelColumn[0]", only(spec(csv, "{\"labelColumn\":[1.5]}", "[]")).where());
    }

    @Test
    void emptyAxisAndZipOfUnequalLengthsAreRejected() {
        SpecProblem empty = only(spec("{}", "{\"lr\":[]}", "[]"));
        assertEquals("$.grid.lr", empty.where());
        assertTrue(empty.message().contains("empty axis"), empty.message());
        SpecProblem zip = only(spec("{}", "{\"zip\":[{\"lr\":[0.1,0.2,0.3],\"momentum\":[0.9,0.5]}]}", "[]"));
        assertEquals("$.grid.zip[0]", zip.where());
        assertTrue(zip.message().contains("lr: 3, momentum: 2"), zip.message());
    }

    @Test
    void anOptionOnTwoAxesIsRejected() {
        SpecProblem p = only(spec("{}", "{\"lr\":[0.1],\"zip\":[{\"lr\":[0.2],\"momentum\":[0.5]}]}", "[]"));
        assertEquals("$.grid.zip[0].lr", p.where());
    }

    @Test
    void malformedJsonGivesLineAndColumn() {
        SpecProblem p = only("{\n  \"schema\": \"softmaxlab.spec/1\",\n  \"name\": \"x\" \"description\": 1\n}");
        assertEquals("line 3, column 15", p.where()); // the second opening quote
        assertTrue(p.message().startsWith("not valid JSON"), p.message());
        assertTrue(only("").where().startsWith("line 1"));
    }

    @Test
    void duplicateKeysAreAnError() {
        SpecProblem p = only("{\"schema\":\"softmaxlab.spec/1\",\"name\":\"a\",\"name\":\"b\",\"description\":\"d\"}");
        assertTrue(p.message().contains("key 'name' appears twice in one object: keep one"), p.message());
    }

    @Test
    void missingAndWrongTopLevelFields() {
        List<SpecProblem> p = problems("{\"schema\":\"softmaxlab.spec/2\",\"nmae\":\"x\"}");
        List<String> where = p.stream().map(SpecProblem::where).toList();
        assertTrue(where.containsAll(List.of("$.nmae", "$.schema", "$.name", "$.description")), where.toString());
        assertTrue(p.get(0).message().contains("did you mean 'name'"), p.get(0).message());
    }

    @Test
    void aGridOfMoreThanAHundredThousandPointsIsRejected() {
        String axis = "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47]";
        SpecProblem p = only(spec("{}", "{\"seed\":" + axis + ",\"steps\":" + axis + ",\"logEvery\":" + axis + "}", "[]"));
        assertEquals("$.grid", p.where());
        assertTrue(p.message().contains("the grid has 103823 points"), p.message());
    }

    @Test
    void gridPointsGivingTheSameConfigAreRejected() {
        SpecProblem p = only(spec("{}", "{\"lr\":[0.1,0.10]}", "[]"));
        assertTrue(p.message().contains("resolve to the same config"), p.message());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"metric\":\"finalTestAcc\",\"gte\":0.9}|$.expect[0].metric|did you mean 'finalTestAccuracy'",
        "{\"metric\":\"status\",\"gte\":1}|$.expect[0].gte|status is text",
        "{\"metric\":\"status\",\"equals\":\"done\"}|$.expect[0].equals|one of [completed, stopped]",
        "{\"metric\":\"totalNonFinite\",\"isNull\":true}|$.expect[0].isNull|never null",
        "{\"metric\":\"totalNonFinite\",\"gte\":\"1\"}|$.expect[0].gte|takes a number",
        "{\"metric\":\"totalNonFinite\"}|$.expect[0]|no check",
        "{\"metric\":\"totalNonFinite\",\"equal\":0}|$.expect[0].equal|did you mean 'equals'",
        "{\"where\":{\"path\":\"fusd\"},\"metric\":\"totalNonFinite\",\"equals\":0}|$.expect[0].where|matches no run",
        "{\"where\":{\"logitScale\":{\"gte\":1e6}},\"metric\":\"totalNonFinite\",\"equals\":0}|$.expect[0].where|matches no run",
        "{\"where\":{\"dataset\":{\"gte\":1}},\"metric\":\"totalNonFinite\",\"equals\":0}|$.expect[0].where.dataset.gte|not a number",
        "{\"where\":{\"logitscale\":1},\"metric\":\"totalNonFinite\",\"equals\":0}|$.expect[0].where.logitscale|did you mean 'logitScale'",
        "{\"where\":{\"lr\":\"big\"},\"metric\":\"totalNonFinite\",\"equals\":0}|$.expect[0].where.lr|must be a number",
        "{\"metric\":\"totalNonFinite\",\"vs\":{\"logitScale\":5},\"equals\":0}|$.expect[0].vs|no baseline",
        "{\"metric\":\"totalNonFinite\",\"vs\":{\"precision\":\"fp16\"},\"equals\":0}|$.expect[0].vs|no baseline",
        "{\"metric\":\"status\",\"vs\":{\"logitScale\":1},\"equals\":\"completed\"}|$.expect[0].vs|not a number",
        "{\"metric\":\"firstNonFiniteStep\",\"vs\":{\"logitScale\":1},\"notNull\":true}|$.expect[0].vs|compare the difference",
        "{\"metric\":\"totalNonFinite\",\"vs\":{\"logitscale\":1},\"lt\":0}|$.expect[0].vs.logitscale|did you mean 'logitScale'",
        "{\"metric\":\"status\",\"ne\":1}|$.expect[0].ne|status is text",
        "{\"metric\":\"totalNonFinite\",\"ne\":\"0\"}|$.expect[0].ne|ne takes a number",
        "{\"metric\":\"totalNonFinite\",\"equals\":0,\"ifNull\":\"skip\"}|$.expect[0].ifNull|takes \"pass\" or \"fail\"",
        "{\"metric\":\"firstNonFiniteStep\",\"isNull\":true,\"ifNull\":\"pass\"}|$.expect[0].ifNull|isNull and notNull already say",
        "{\"metric\":\"totalNonFinite\",\"ifNull\":\"pass\"}|$.expect[0]|no check",
    })
    void impossibleExpectationsAreLocated(String expectation, String where, String message) {
        SpecProblem p = problems(spec("{}", "{\"logitScale\":[1,100]}", "[" + expectation + "]")).get(0);
        assertEquals(where, p.where());
        assertTrue(p.message().contains(message), p.message());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"metric\":\"totalNonFinite\",\"gte\":5,\"lte\":1}|no value is ≥ 5 and ≤ 1",
        "{\"metric\":\"totalNonFinite\",\"equals\":0,\"gte\":1}|no value is = 0 and ≥ 1",
        "{\"metric\":\"finalTestLoss\",\"gt\":2,\"lt\":2}|no value is > 2 and < 2",
        "{\"metric\":\"finalTestAccuracy\",\"gte\":1.5}|finalTestAccuracy is in [0, 1]",
        "{\"metric\":\"finalTrainAccuracy\",\"gt\":1}|finalTrainAccuracy is in [0, 1]",
        "{\"metric\":\"totalNonFinite\",\"lt\":0}|totalNonFinite is a finite count ≥ 0",
        "{\"metric\":\"events.clipped\",\"gte\":1e400}|events.clipped is a finite count ≥ 0",
        "{\"metric\":\"firstNonFiniteStep\",\"isNull\":true,\"gte\":1}|a null is not ≥ 1",
        "{\"metric\":\"firstNonFiniteStep\",\"notNull\":false,\"finite\":true}|a null is not a finite number",
        "{\"metric\":\"totalNonFinite\",\"vs\":{\"logitScale\":1},\"gt\":0,\"lte\":0}|no value is ≤ 0 and > 0",
        "{\"metric\":\"totalNonFinite\",\"gte\":3,\"lte\":3,\"ne\":3}|no value is ≠ 3 and ≥ 3 and ≤ 3",
        "{\"metric\":\"firstNonFiniteStep\",\"isNull\":true,\"ne\":1}|a null is not ≠ 1",
    })
    void contradictoryOrOutOfRangeChecksCanNeverHold(String expectation, String message) {
        SpecProblem p = problems(spec("{}", "{\"logitScale\":[1,100]}", "[" + expectation + "]")).get(0);
        assertEquals("$.expect[0]", p.where());
        assertTrue(p.message().contains("can never hold: " + message), p.message());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"metric\":\"finalTestAccuracy\",\"gte\":0.9,\"lte\":1}",
        "{\"metric\":\"finalTestAccuracy\",\"equals\":1}",
        "{\"metric\":\"totalNonFinite\",\"gte\":0,\"lte\":0}",
        "{\"metric\":\"finalTestLoss\",\"finite\":false}",
        "{\"metric\":\"finalTestLoss\",\"equals\":\"NaN\"}",
        "{\"metric\":\"firstNonFiniteStep\",\"notNull\":true,\"lte\":10}",
        "{\"metric\":\"finalTestAccuracy\",\"vs\":{\"logitScale\":1},\"lt\":-0.5}",
        "{\"metric\":\"totalNonFinite\",\"ne\":0}",
        "{\"metric\":\"totalNonFinite\",\"gte\":3,\"lte\":4,\"ne\":3}",
        "{\"metric\":\"firstNonFiniteStep\",\"lte\":10,\"ifNull\":\"pass\"}",
        "{\"metric\":\"finalTestLoss\",\"vs\":{\"logitScale\":1},\"ne\":0,\"ifNull\":\"fail\"}",
    })
    void satisfiableChecksAreAccepted(String expectation) {
        SpecLoader.Result r = SpecLoader.check(spec("{}", "{\"logitScale\":[1,100]}", "[" + expectation + "]"));
        assertTrue(r.ok(), r.problems().toString());
    }

    @Test
    void nestedEventMetricsAndMembershipConditionsAreAccepted() {
        ExperimentSpec s = SpecLoader.parse(spec("{}", "{\"precision\":[[\"fp16\"],[\"bf16\"]]}",
                "[{\"where\":{\"precision\":{\"in\":[\"fp16\",\"bf16\"]}},\"metric\":\"events.loss.nan\",\"equals\":0}]"),
                "t");
        assertEquals("events.loss.nan", s.expect().get(0).metric());
    }

    @Test
    void anInvalidSpecThrowsOneLineNamingTheSourceAndCountingTheRest() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> SpecLoader.parse(spec("{\"lrr\":1,\"stepz\":2}", "{}", "[]"), "my.json"));
        assertFalse(e.getMessage().contains("\n"));
        assertTrue(e.getMessage().startsWith("bad spec my.json: $.base.lrr: unknown train option 'lrr'"), e.getMessage());
        assertTrue(e.getMessage().contains("and 1 more problem"), e.getMessage());
        assertEquals(2, e.problems().size());
    }
}
