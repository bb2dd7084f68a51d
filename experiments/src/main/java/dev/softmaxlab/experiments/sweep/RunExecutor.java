package dev.softmaxlab.experiments.sweep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.experiments.config.TrainConfig;

/**
 * Runs one training invocation and returns its report as JSON ({@code softmaxlab.report/1}). Called from several
 * threads at once, one config per call; a thrown exception marks that run failed and the sweep goes on.
 */
@FunctionalInterface
public interface RunExecutor {

    ObjectNode run(TrainConfig config) throws Exception;
}
