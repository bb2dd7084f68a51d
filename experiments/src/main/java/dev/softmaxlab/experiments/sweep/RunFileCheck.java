package dev.softmaxlab.experiments.sweep;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What {@code merge} and {@code --resume} check in a run file they take over, beyond its being a report of the
 * planned run ({@link RunStore#isValidFor}): that it matches the report schema, and that each path's summary agrees
 * with what its own steps and evaluations say: the steps run is the last logged step (the last step is always
 * logged), the final test loss and accuracy are the last evaluation's, and no fewer steps were skipped than were
 * logged as skipped. Edited numbers that break these are caught; the rest of a summary (train loss, event totals)
 * cannot be recomputed from a log that keeps every {@code logEvery}-th step.
 */
final class RunFileCheck {

    private RunFileCheck() {
    }

    /** The first problem of {@code report}, or null when it is consistent. */
    static String problem(JsonNode report) {
        for (JsonNode run : report.path("runs")) {
            String id = run.path("id").asText();
            JsonNode summary = run.path("summary");
            JsonNode steps = run.path("steps");
            if (steps.size() > 0) {
                JsonNode last = steps.get(steps.size() - 1);
                if (summary.path("stepsRun").asLong() != last.path("step").asLong()) {
                    return "run " + id + ": summary.stepsRun " + summary.path("stepsRun") + " disagrees with its last "
                            + "logged step " + last.path("step");
                }
                long loggedSkips = 0;
                for (JsonNode s : steps) {
                    loggedSkips += s.path("skipped").asBoolean() ? 1 : 0;
                }
                if (summary.path("skippedSteps").asLong() < loggedSkips) {
                    return "run " + id + ": summary.skippedSteps " + summary.path("skippedSteps") + " is fewer than the "
                            + loggedSkips + " steps logged as skipped";
                }
            }
            JsonNode evals = run.path("evals");
            if (evals.size() > 0) {
                JsonNode last = evals.get(evals.size() - 1);
                for (String[] pair : new String[][] {{"finalTestLoss", "testLoss"}, {"finalTestAccuracy", "testAccuracy"}}) {
                    if (!summary.path(pair[0]).equals(last.path(pair[1]))) {
                        return "run " + id + ": summary." + pair[0] + " " + summary.path(pair[0]) + " disagrees with its "
                                + "last evaluation's " + pair[1] + " " + last.path(pair[1]);
                    }
                }
            }
        }
        return null;
    }
}
