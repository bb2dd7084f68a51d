package dev.softmaxlab.app.output;

import dev.softmaxlab.core.numeric.FirstNonFinite;
import dev.softmaxlab.experiments.report.RunSummary;
import dev.softmaxlab.experiments.report.StepRecord;
import dev.softmaxlab.experiments.report.TrainingReport;
import dev.softmaxlab.experiments.report.TrainingRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A one-paragraph reading of a training report, generated from its numbers (never canned prose that could contradict
 * them): per precision, what each path did (went non-finite and when, was stopped, skipped updates, clipped, or
 * stayed finite) and the test accuracy it ended at; then which path ended best and how far the others fell short.
 */
public final class TrainReading {

    private TrainReading() {
    }

    public static String paragraph(TrainingReport report) {
        Map<String, List<TrainingRun>> byPrecision = new LinkedHashMap<>();
        for (var p : report.config().precision()) {
            byPrecision.put(p.id(), new ArrayList<>());
        }
        for (TrainingRun r : report.runs()) {
            byPrecision.computeIfAbsent(r.precision(), k -> new ArrayList<>()).add(r);
        }
        StringBuilder sb = new StringBuilder();
        int n = report.runs().size();
        sb.append(n == 1 ? "The run" : n == 2 ? "Both runs" : "All " + n + " runs")
                .append(" started from the same weights and saw the same batches; only the loss computation differs.");
        for (Map.Entry<String, List<TrainingRun>> e : byPrecision.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            sb.append(" In ").append(e.getKey()).append(": ");
            List<String> parts = new ArrayList<>();
            for (TrainingRun r : e.getValue()) {
                parts.add(r.path() + " " + outcome(r));
            }
            sb.append(join(parts)).append('.');
            sb.append(verdict(e.getValue()));
        }
        return wrap(sb.toString(), 100);
    }

    /** What one run did, e.g. "went non-finite at step 3 and its weights turned NaN (0.0% test accuracy)". */
    static String outcome(TrainingRun run) {
        RunSummary s = run.summary();
        StringBuilder sb = new StringBuilder();
        String accuracy = TrainText.percent(s.finalTestAccuracy()) + " test accuracy";
        if (s.firstNonFiniteStep() != null) {
            sb.append("went non-finite at step ").append(s.firstNonFiniteStep());
            FirstNonFinite first = firstOp(run, s.firstNonFiniteStep());
            if (first != null) {
                sb.append(" (in ").append(first.op()).append(')');
            }
            if (s.status().equals("stopped")) {
                sb.append(" and was stopped there (").append(accuracy).append(')');
            } else if (s.skippedSteps() > 0) {
                sb.append(", skipped ").append(s.skippedSteps()).append(" of ").append(s.stepsRun())
                        .append(" updates and ended at ").append(accuracy);
            } else if (Double.isNaN(s.finalTestLoss())) {
                sb.append(" and its weights turned NaN (").append(accuracy).append(')');
            } else {
                sb.append(" (").append(TrainText.compact(s.totalNonFinite()))
                        .append(" non-finite values) and ended at ")
                        .append(accuracy);
            }
        } else if (s.events().clipped() > 0) {
            sb.append("stayed finite but clipped ").append(TrainText.compact(s.events().clipped()))
                    .append(" probabilities (").append(accuracy).append(')');
        } else {
            sb.append("stayed finite (").append(accuracy).append(')');
        }
        return sb.toString();
    }

    /** The first non-finite operation of that step, from its record (the first non-finite step is always logged). */
    private static FirstNonFinite firstOp(TrainingRun run, int step) {
        for (StepRecord r : run.steps()) {
            if (r.step() == step) {
                return r.firstNonFinite();
            }
        }
        return null;
    }

    /** Which paths ended best in this precision and which worst, from the test accuracies. */
    static String verdict(List<TrainingRun> runs) {
        if (runs.size() < 2) {
            return "";
        }
        if (runs.stream().allMatch(r -> r.summary().firstNonFiniteStep() != null)) {
            return " No path stayed finite.";
        }
        double best = runs.stream().mapToDouble(r -> r.summary().finalTestAccuracy()).max().orElseThrow();
        double worst = runs.stream().mapToDouble(r -> r.summary().finalTestAccuracy()).min().orElseThrow();
        if (best - worst < 0.005) {
            return " All paths ended within half a point of each other.";
        }
        List<String> top = runs.stream().filter(r -> r.summary().finalTestAccuracy() == best).map(TrainingRun::path)
                .toList();
        List<String> bottom = runs.stream().filter(r -> r.summary().finalTestAccuracy() == worst)
                .map(TrainingRun::path).toList();
        return String.format(Locale.ROOT, " %s ended best, %.1f points above %s.", and(top), 100 * (best - worst),
                and(bottom));
    }

    private static String and(List<String> names) {
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }

    private static String join(List<String> parts) {
        if (parts.size() <= 2) {
            return String.join("; ", parts);
        }
        return String.join("; ", parts.subList(0, parts.size() - 1)) + "; and " + parts.get(parts.size() - 1);
    }

    /** Word-wraps to {@code width} columns. */
    static String wrap(String text, int width) {
        StringBuilder out = new StringBuilder();
        int col = 0;
        for (String word : text.split(" ")) {
            if (col > 0 && col + 1 + word.length() > width) {
                out.append('\n');
                col = 0;
            } else if (col > 0) {
                out.append(' ');
                col++;
            }
            out.append(word);
            col += word.length();
        }
        return out.append('\n').toString();
    }
}
