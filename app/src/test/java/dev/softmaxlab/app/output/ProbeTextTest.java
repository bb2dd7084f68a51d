package dev.softmaxlab.app.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.numeric.FirstNonFinite;
import dev.softmaxlab.core.numeric.NumericEvent;
import dev.softmaxlab.core.numeric.NumericEvents;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import dev.softmaxlab.experiments.probe.ProbeCase;
import dev.softmaxlab.experiments.probe.ProbeCaseResult;
import dev.softmaxlab.experiments.probe.ProbeResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeTextTest {

    private static final ProbeCase.Fields F = new ProbeCase.Fields("", "--logits", "--label", "--target");

    @Test
    void eventsListOnlyNonZeroCountsWithStableNames() {
        NumericEvents e = new NumericEvents();
        assertEquals("-", ProbeText.events(e));
        e.add(NumericEvent.LOG_OF_ZERO, 1);
        e.add(NumericEvent.EXP_UNDERFLOW, 2);
        e.countLoss(new double[] {Double.POSITIVE_INFINITY}, 0, 1);
        e.countGradient(new double[] {Double.NaN, 0.5, Double.NaN, Double.NEGATIVE_INFINITY}, 0, 4);
        // NumericEvent order first, then loss, then gradient
        assertEquals("expUnderflow:2 logOfZero:1 loss.posInf:1 gradient.nan:2 gradient.negInf:1",
                ProbeText.events(e));
    }

    @Test
    void firstNonFiniteAsOpAtClass() {
        assertEquals("-", ProbeText.firstNonFinite(null));
        assertEquals("log@2", ProbeText.firstNonFinite(new FirstNonFinite("log", 0, 2)));
        assertEquals("sum", ProbeText.firstNonFinite(new FirstNonFinite("sum", 0, -1)));
    }

    @Test
    void wrapBreaksAtSpaces() {
        assertEquals("aaa bb\ncc", ProbeText.wrap("aaa bb cc", 6));
        assertEquals("a\nverylongword\nb", ProbeText.wrap("a verylongword b", 5));
        assertEquals("-", ProbeText.wrap("-", 44));
    }

    @Test
    void headingShowsShortVectorsAndSummarizesLongOnes() {
        assertEquals("case 3: logits [1.0, NaN, -Infinity], label 0",
                ProbeText.heading(ProbeCase.sparse(3, new double[] {1, Double.NaN, Double.NEGATIVE_INFINITY}, 0, F)));
        assertEquals("case 0: logits [0.0, 0.0], target [0.25, 0.75]",
                ProbeText.heading(ProbeCase.dense(0, new double[] {0, 0}, new double[] {0.25, 0.75}, F)));
        double[] z = new double[1000];
        for (int j = 0; j < z.length; j++) {
            z[j] = j - 500;
        }
        z[7] = Double.POSITIVE_INFINITY;
        assertEquals("case 0: 1000 logits in [-500.0, 499.0] (1 non-finite), label 999",
                ProbeText.heading(ProbeCase.sparse(0, z, 999, F)));
    }

    @Test
    void tableRowPerResultWithLossInItsOwnPrecision() {
        ProbeCase c = ProbeCase.sparse(0, new double[] {1, 0}, 0, F);
        NumericEvents none = new NumericEvents();
        NumericEvents bad = new NumericEvents();
        bad.add(NumericEvent.LOG_OF_ZERO, 1);
        bad.recordNonFinite("log", 0, 1);
        // 0.1 in fp32 is 0.100000001490116..., whose shortest float text is 0.1
        ProbeResult a = new ProbeResult("fused", PrecisionSpec.of(Precision.FP32), (float) 0.1, 0.5, null, null,
                none);
        ProbeResult b = new ProbeResult("separate", new PrecisionSpec(Precision.FP16, Precision.FP64),
                Double.POSITIVE_INFINITY, Double.NaN, null, null, bad);
        String text = ProbeText.render(new ProbeCaseResult(c, List.of(a, b)));
        List<String> lines = text.lines().toList();
        assertEquals("case 0: logits [1.0, 0.0], label 0", lines.get(0));
        assertEquals("", lines.get(1));
        assertTrue(lines.get(2).startsWith("path      precision      loss  max |gradient|  first non-finite  events"),
                lines.get(2));
        assertEquals("fused     fp32            0.1             0.5  -                 -", lines.get(4));
        assertEquals("", lines.get(5), "a blank line between paths");
        assertEquals("separate  fp16       Infinity             NaN  log@1             logOfZero:1", lines.get(6));
        assertEquals("(bf16 and fp16 sums accumulate in fp64)", lines.get(7));
    }
}
