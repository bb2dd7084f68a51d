package dev.softmaxlab.experiments.probe;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.core.loss.LossHead;
import dev.softmaxlab.core.loss.LossInput;
import dev.softmaxlab.core.loss.LossPath;
import dev.softmaxlab.core.loss.LossResult;
import dev.softmaxlab.core.loss.LossPaths;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import dev.softmaxlab.experiments.report.ReferenceError;
import dev.softmaxlab.experiments.train.ReferenceErrors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Evaluates a case through every path × precision of a {@link ProbeConfig}. Thread-safe: each thread reuses its own
 * {@link LossResult} buffers, and each result copies out only what the config keeps.
 */
public final class ProbeEvaluator {

    private static final PrecisionSpec REFERENCE = PrecisionSpec.of(Precision.FP64);

    private final ProbeConfig config;
    private final List<LossHead> heads;
    private final boolean reference;
    private final LossPath fused = LossPaths.byId("fused");
    private final ThreadLocal<LossResult> buffers = ThreadLocal.withInitial(LossResult::new);
    private final ThreadLocal<LossResult> referenceBuffers = ThreadLocal.withInitial(LossResult::new);

    public ProbeEvaluator(ProbeConfig config) {
        this(config, false);
    }

    /**
     * @param reference also give each result its error against the fp64 fused result on the logits rounded to the
     *                  result's precision (NUMERICS.md, "Error against the reference"), as train reports do
     */
    public ProbeEvaluator(ProbeConfig config, boolean reference) {
        this.config = config;
        this.heads = config.heads();
        this.reference = reference;
    }

    public ProbeConfig config() {
        return config;
    }

    public ProbeCaseResult evaluate(ProbeCase c) {
        LossInput input = c.toLossInput();
        LossResult out = buffers.get();
        int classes = c.classes();
        List<ProbeResult> results = new ArrayList<>(config.evaluationsPerCase());
        for (LossHead head : heads) {
            LossPath path = head.path();
            for (PrecisionSpec spec : config.precisions()) {
                try {
                    head.evaluate(input, spec, out);
                } catch (InvalidInputException e) {
                    throw new InvalidInputException("case " + c.index() + ": " + e.getMessage(), e);
                }
                // a batch of one row: the reduced loss is the row loss whatever the reduction
                double loss = out.rowLosses()[0];
                double[] g = out.gradient();
                results.add(new ProbeResult(path.id(), spec, loss, ProbeResult.maxAbs(g, classes),
                        config.vectors().gradient() ? Arrays.copyOf(g, classes) : null,
                        config.vectors().probabilities() ? Arrays.copyOf(out.probabilities(), classes) : null,
                        out.events().copy(), reference ? referenceError(c, input, spec, loss, g) : null));
            }
        }
        return new ProbeCaseResult(c, results);
    }

    /** The result against fp64 fused on the same logits rounded to the result's compute precision. */
    private ReferenceError referenceError(ProbeCase c, LossInput input, PrecisionSpec spec, double loss, double[] g) {
        double[] rounded = c.logits().clone();
        for (int j = 0; j < rounded.length; j++) {
            rounded[j] = spec.compute().round(rounded[j]);
        }
        LossResult ref = referenceBuffers.get();
        fused.evaluate(new LossInput(rounded, 1, rounded.length, input.targets()), config.options(), REFERENCE, ref);
        return ReferenceErrors.of(loss, ref.rowLosses()[0], g, ref.gradient(), rounded.length, spec.compute());
    }
}
