package dev.softmaxlab.experiments.probe;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.core.loss.LossHead;
import dev.softmaxlab.core.loss.LossInput;
import dev.softmaxlab.core.loss.LossPath;
import dev.softmaxlab.core.loss.LossResult;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Evaluates a case through every path × precision of a {@link ProbeConfig}. Thread-safe: each thread reuses its own
 * {@link LossResult} buffers, and each result copies out only what the config keeps.
 */
public final class ProbeEvaluator {

    private final ProbeConfig config;
    private final List<LossHead> heads;
    private final ThreadLocal<LossResult> buffers = ThreadLocal.withInitial(LossResult::new);

    public ProbeEvaluator(ProbeConfig config) {
        this.config = config;
        this.heads = config.heads();
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
                        out.events().copy()));
            }
        }
        return new ProbeCaseResult(c, results);
    }
}
