package dev.softmaxlab.experiments.sweep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.experiments.config.RunConfig;

/**
 * One grid point ready to run.
 *
 * @param index      its position in grid order
 * @param id         its run id (hash of {@code configJson})
 * @param point      the grid values
 * @param config     the resolved config (a training run's after {@code --smoke}, if given)
 * @param configJson {@code config} as JSON
 */
public record PlannedRun(int index, String id, ObjectNode point, RunConfig config, ObjectNode configJson) {
}
