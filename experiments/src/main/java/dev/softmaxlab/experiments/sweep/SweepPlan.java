package dev.softmaxlab.experiments.sweep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.experiments.spec.ExperimentSpec;
import dev.softmaxlab.experiments.config.RunConfig;
import dev.softmaxlab.experiments.config.TrainConfig;
import dev.softmaxlab.core.InvalidInputException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Every run of a spec's grid, in grid order, with its resolved config and run id. */
public final class SweepPlan {

    private SweepPlan() {
    }

    public static List<PlannedRun> of(ExperimentSpec spec, boolean smoke) {
        List<ObjectNode> points = spec.grid().points();
        List<PlannedRun> runs = new ArrayList<>(points.size());
        Map<String, Integer> byId = new HashMap<>();
        for (int i = 0; i < points.size(); i++) {
            RunConfig config = spec.runConfig(points.get(i));
            if (smoke && config instanceof TrainConfig train) {
                config = Smoke.apply(train); // a probe-grid row is one evaluation: nothing to shorten
            }
            ObjectNode json = config.toJson();
            String id = RunId.of(json);
            Integer earlier = byId.putIfAbsent(id, i);
            if (earlier != null) {
                // The loader rejects duplicate points, so only --smoke's step cap can merge two of them.
                throw new InvalidInputException("grid points " + earlier + " " + points.get(earlier) + " and " + i + " "
                        + points.get(i) + " become the same run under --smoke; run without --smoke");
            }
            runs.add(new PlannedRun(i, id, points.get(i), config, json));
        }
        return runs;
    }
}
