package dev.softmaxlab.core.loss;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A LossResult reused at the same (or a smaller) shape keeps its arrays; only a larger shape grows them. */
class AllocationTest {

    /** Every registered path. */
    static java.util.stream.Stream<String> pathIds() {
        return LossPaths.all().stream().map(LossPath::id);
    }

    @ParameterizedTest
    @MethodSource("dev.softmaxlab.core.loss.AllocationTest#pathIds")
    void reusesBuffersAtTheSameShape(String pathId) {
        LossPath path = LossPaths.byId(pathId);
        LossResult out = new LossResult();
        LossInput in = new LossInput(new double[] {1, 2, 3, 4, 5, 6}, 2, 3, new Targets.Sparse(new int[] {0, 2}));
        PrecisionSpec spec = PrecisionSpec.of(Precision.BF16);
        path.evaluate(in, LossOptions.DEFAULTS, spec, out);
        double[] grad = out.gradient();
        double[] p = out.probabilities();
        double[] rows = out.rowLosses();
        Object arithmetic = out.arithmetic(spec);
        path.evaluate(in, LossOptions.DEFAULTS, spec, out);
        assertSame(grad, out.gradient());
        assertSame(p, out.probabilities());
        assertSame(rows, out.rowLosses());
        assertSame(arithmetic, out.arithmetic(spec));
        path.evaluate(LossInput.ofLabel(new double[] {1, 2}, 0), LossOptions.DEFAULTS, spec, out);
        assertSame(grad, out.gradient()); // smaller shape: kept
        path.evaluate(new LossInput(new double[12], 3, 4, new Targets.Sparse(new int[] {0, 1, 2})),
                LossOptions.DEFAULTS, spec, out);
        assertNotSame(grad, out.gradient()); // larger shape: grown
    }
}
