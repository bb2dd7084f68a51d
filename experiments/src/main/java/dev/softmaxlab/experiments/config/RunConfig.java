package dev.softmaxlab.experiments.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.core.loss.LossPath;
import dev.softmaxlab.core.precision.Precision;
import java.util.List;

/**
 * The resolved config of one run of a sweep, whatever the spec's kind: a training run ({@link TrainConfig}) or a
 * probe-grid row ({@link ProbeGridConfig}). Each run gives one result per path × precision.
 */
public sealed interface RunConfig permits TrainConfig, ProbeGridConfig {

    /** The loss paths, in result order. */
    List<LossPath> paths();

    /** The loss head's compute formats, in result order. */
    List<Precision> precision();

    /** Every key, as reports and specs write them; its canonical JSON gives the run id. */
    ObjectNode toJson();
}
