package dev.softmaxlab.experiments.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.experiments.config.ConfigLayers;
import dev.softmaxlab.experiments.config.RunConfig;
import dev.softmaxlab.experiments.config.TrainConfig;
import java.util.List;

/**
 * A loaded, checked spec ({@code softmaxlab.spec/1}).
 *
 * @param name        the spec's name (never used as a file name)
 * @param description what the experiment shows
 * @param document    the spec as written, kept in every sweep summary so that merged shards can be re-checked
 * @param base        train options shared by every run
 * @param grid        the settings varied
 * @param expect      the expectations
 * @param hash        SHA-256 of the document's canonical JSON: shards of different specs never merge
 * @param kind        what each grid point runs: training or a probe-grid row
 */
public record ExperimentSpec(String name, String description, ObjectNode document, ObjectNode base, Grid grid,
                             List<Expectation> expect, String hash, SpecKind kind) {

    public static final String SCHEMA = "softmaxlab.spec/1";

    public ExperimentSpec {
        expect = List.copyOf(expect);
    }

    /** The train options of grid point {@code point}: the base overlaid with the point's values. */
    public ObjectNode overrides(ObjectNode point) {
        return overrides(base, point);
    }

    /** The resolved config of a grid point, of either kind. */
    public RunConfig runConfig(ObjectNode point) {
        return kind.resolve(overrides(point));
    }

    /** The resolved config of a grid point of a training spec. */
    public TrainConfig config(ObjectNode point) {
        if (kind != SpecKind.TRAIN) {
            throw new IllegalStateException("a " + kind.id() + " spec's points are not training configs; use runConfig");
        }
        return TrainConfig.resolve(overrides(point));
    }

    static ObjectNode overrides(ObjectNode base, ObjectNode point) {
        return ConfigLayers.overlay(base, point);
    }
}
