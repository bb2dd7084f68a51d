package dev.softmaxlab.experiments.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.experiments.config.ConfigKeys;
import dev.softmaxlab.experiments.config.ProbeGridConfig;
import dev.softmaxlab.experiments.config.ProbeGridKeys;
import dev.softmaxlab.experiments.config.RunConfig;
import dev.softmaxlab.experiments.config.TrainConfig;
import dev.softmaxlab.experiments.report.ProbeRowSummary;
import dev.softmaxlab.experiments.report.RunSummary;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a spec's runs are, by its {@code "kind"}: {@code train} (the default) trains a model per grid point;
 * {@code probe} evaluates a synthetic logit row per grid point ({@link ProbeGridConfig}). Each kind has its keys,
 * its config and its summary metrics; the grid, {@code expect}, {@code --shard}, {@code --resume} and {@code merge}
 * are the same for both.
 */
public enum SpecKind {
    TRAIN("train", RunSummary.class),
    PROBE("probe", ProbeRowSummary.class);

    /** Every kind id, for messages and the schema. */
    public static final List<String> IDS = List.of("train", "probe");

    private final String id;
    private final Class<? extends Record> summary;

    SpecKind(String id, Class<? extends Record> summary) {
        this.id = id;
        this.summary = summary;
    }

    public String id() {
        return id;
    }

    /** The record whose fields are the metrics expectations read. */
    Class<? extends Record> summaryType() {
        return summary;
    }

    public static SpecKind fromId(String id) {
        return id.equals("probe") ? PROBE : TRAIN;
    }

    /** The keys {@code base}, {@code grid}, {@code where} and {@code vs} may use, in config order. */
    public Map<String, TrainOptions.Option> options() {
        return this == TRAIN ? TrainOptions.all() : PROBE_OPTIONS;
    }

    /** The resolved config of {@code overrides}. */
    public RunConfig resolve(ObjectNode overrides) {
        return this == TRAIN ? TrainConfig.resolve(overrides) : ProbeGridKeys.resolve(overrides);
    }

    private static final Map<String, TrainOptions.Option> PROBE_OPTIONS = probeOptions();

    private static Map<String, TrainOptions.Option> probeOptions() {
        Map<String, TrainOptions.Option> m = new LinkedHashMap<>();
        for (ConfigKeys.Key k : ProbeGridKeys.all().values()) {
            m.put(k.name(), new TrainOptions.Option(k.name(), k.kind(), k.nullable()));
        }
        return Collections.unmodifiableMap(m);
    }
}
