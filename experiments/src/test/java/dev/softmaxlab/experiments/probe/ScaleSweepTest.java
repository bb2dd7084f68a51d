package dev.softmaxlab.experiments.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.core.loss.LossOptions;
import dev.softmaxlab.core.loss.LossPaths;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScaleSweepTest {

    @Test
    void factorsAreGeometricWithExactEnds() {
        ScaleSweep s = ScaleSweep.parse("1:1e4:5");
        assertEquals(1.0, s.factor(0));
        assertEquals(1e4, s.factor(4));
        // 10^i by hand, exactly: log10 of a power of ten is exact, and so is pow(10, i)
        double[] want = {1, 10, 100, 1000, 1e4};
        for (int i = 0; i < 5; i++) {
            assertEquals(want[i], s.factor(i));
        }
        assertEquals(10.0, ScaleSweep.parse("1:1e5:6").factor(1)); // pow(1e5, 0.2) would be 10.000000000000002
        ScaleSweep down = ScaleSweep.parse("100:1:3");
        assertEquals(10.0, down.factor(1));
        // not a power of ten: 2·(8/2)^(1/2) = 4, within an ulp
        assertEquals(4.0, ScaleSweep.parse("2:8:3").factor(1), Math.ulp(4.0));
    }

    @Test
    void casesScaleTheRowAndKeepTheTarget() {
        ProbeCase base = ProbeCase.sparse(0, new double[] {2, -1, 0.5}, 1, new ProbeCase.Fields("", "l", "k", "t"));
        List<ProbeCase> cases = ScaleSweep.parse("2:8:3").cases(base);
        assertEquals(3, cases.size());
        assertArrayEquals(new double[] {4, -2, 1}, cases.get(0).logits());
        assertArrayEquals(new double[] {16, -8, 4}, cases.get(2).logits(), 1e-12);
        assertEquals(1, cases.get(2).label());
        assertEquals(2, cases.get(2).index());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1:10", "0:10:5", "-1:10:5", "1:inf:5", "1:10:1", "1:10:x", "a:10:5", "1:10:100000"})
    void badSweepsAreOneLineNamingTheOption(String text) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ScaleSweep.parse(text));
        assertTrue(e.getMessage().startsWith("--scale-sweep " + text), e.getMessage());
        assertTrue(e.getMessage().contains("give FROM:TO:N"), e.getMessage());
    }

    @Test
    void eachResultCarriesItsErrorAgainstTheFp64FusedReference() {
        ProbeConfig config = new ProbeConfig(List.of(LossPaths.byId("fused"), LossPaths.byId("separate")),
                List.of(PrecisionSpec.of(Precision.FP64)), Precision.FP32, LossOptions.DEFAULTS, Vectors.NONE);
        ProbeEvaluator e = new ProbeEvaluator(config, true);
        // logits (1000, 0, -1000), label 2: the true loss is 2000 (log-sum-exp 1000 + e^-1000..., minus -1000)
        ProbeCase c = ProbeCase.sparse(0, new double[] {1000, 0, -1000}, 2, new ProbeCase.Fields("", "l", "k", "t"));
        ProbeCaseResult r = e.evaluate(c);
        assertEquals(2000.0, r.results().get(0).loss());
        assertEquals(0.0, r.results().get(0).error().lossRel()); // fused in fp64 is the reference itself
        assertEquals(Double.POSITIVE_INFINITY, r.results().get(1).loss()); // separate: log of an underflowed 0
        // a non-finite loss has no finite distance to the reference: NaN (ErrorMetrics), reported, not hidden
        assertTrue(Double.isNaN(r.results().get(1).error().lossAbs()));
        assertEquals(null, new ProbeEvaluator(config).evaluate(c).results().get(0).error());
    }
}
