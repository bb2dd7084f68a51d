package dev.softmaxlab.app.cli;

import dev.softmaxlab.app.output.TextTable;
import dev.softmaxlab.experiments.io.UserText;
import dev.softmaxlab.experiments.spec.Verdict;
import dev.softmaxlab.experiments.spec.Violation;
import dev.softmaxlab.experiments.sweep.RunOutcome;
import dev.softmaxlab.experiments.sweep.SweepSummary;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * What {@code sweep} and {@code merge} print when they finish: a table of the expectations' verdicts on stdout, a
 * one-line reason on stderr when something failed, and the exit code (0 all ok; 3 an expectation failed or a run
 * failed).
 */
final class SweepReport {

    private static final int MAX_VIOLATIONS_SHOWN = 3;

    private SweepReport() {
    }

    /** A metric's value, or for a {@code vs} check: value, baseline and difference. */
    private static String actual(com.fasterxml.jackson.databind.JsonNode a) {
        if (a != null && a.isObject() && a.has("difference")) {
            return a.get("value") + " vs " + a.get("baseline") + " (" + a.get("baselinePath").asText() + "@"
                    + a.get("baselinePrecision").asText() + " in run " + a.get("baselineRunId").asText()
                    + "), difference " + a.get("difference");
        }
        return String.valueOf(a);
    }

    static int print(SweepSummary summary, Path dir, PrintWriter out, PrintWriter err) {
        TextTable t = new TextTable(TextTable.left("verdict"), TextTable.right("rows"), TextTable.left("expectation"));
        for (Verdict v : summary.verdicts()) {
            StringBuilder what = new StringBuilder(summary.document().get("expectations").get(v.index())
                    .get("reads").asText());
            int shown = 0;
            for (Violation b : v.violations()) {
                if (shown++ == MAX_VIOLATIONS_SHOWN) {
                    what.append("\n  ... ").append(v.violations().size() - MAX_VIOLATIONS_SHOWN).append(" more");
                    break;
                }
                what.append("\n  run ").append(b.runId()).append(' ').append(b.path()).append('@')
                        .append(b.precision()).append(' ').append(b.point()).append(": ").append(actual(b.actual()));
            }
            t.row(v.status(), Integer.toString(v.checked()), what.toString());
        }
        int runs = summary.outcomes().size();
        int failedRuns = summary.failedRuns().size();
        out.println(UserText.quote(summary.document().get("spec").get("name").asText()) + ": " + runs + " run"
                + (runs == 1 ? "" : "s") + (failedRuns > 0 ? ", " + failedRuns + " failed" : ""));
        if (!summary.verdicts().isEmpty()) {
            out.print(t.render());
        }
        for (RunOutcome o : summary.failedRuns()) {
            out.println("failed run " + o.id() + " " + o.point() + ": " + UserText.line(o.error()));
        }
        out.println("wrote " + dir.resolve("summary.json") + ", " + dir.resolve("summary.csv") + " and "
                + dir.resolve("runs") + "/");
        if (java.nio.file.Files.exists(dir.resolve("index.html"))) {
            out.println("charts: " + dir.resolve("index.html") + " (open it in a browser)");
        }
        out.flush();
        if (summary.ok()) {
            return ExitCodes.OK;
        }
        int failedExpectations = summary.failedExpectations().size();
        err.println("softmaxlab: " + (failedExpectations > 0 ? failedExpectations + " of " + summary.verdicts().size()
                + " expectations failed" : "") + (failedExpectations > 0 && failedRuns > 0 ? ", " : "")
                + (failedRuns > 0 ? failedRuns + " of " + runs + " runs failed" : "") + " (see "
                + dir.resolve("summary.json") + ")");
        return ExitCodes.CHECK_FAILED;
    }
}
