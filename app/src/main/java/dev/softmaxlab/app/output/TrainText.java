package dev.softmaxlab.app.output;

import dev.softmaxlab.core.loss.LossOption;
import dev.softmaxlab.experiments.report.EventCounts;
import dev.softmaxlab.experiments.report.RunSummary;
import dev.softmaxlab.experiments.io.UserText;
import dev.softmaxlab.experiments.report.DataSummary;
import dev.softmaxlab.experiments.report.TrainingReport;
import dev.softmaxlab.experiments.report.TrainingRun;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.experiments.config.TargetKind;
import dev.softmaxlab.experiments.config.TrainConfig;
import java.util.Locale;

/**
 * The {@code text} format of {@code train} and {@code demo}: a one-line description of the setup, the side-by-side
 * summary table of the runs (fits 100 columns), a legend, and a reading of the result generated from the numbers
 * ({@link TrainReading}).
 */
public final class TrainText {

    private TrainText() {
    }

    public static String render(TrainingReport report) {
        StringBuilder sb = new StringBuilder();
        sb.append(TrainReading.wrap(setup(report.config()), 100)).append('\n');
        if (report.data() != null) {
            sb.append(TrainReading.wrap(data(report.data()), 100)).append('\n');
        }
        sb.append(table(report)).append('\n');
        sb.append(TrainReading.wrap(legend(), 100)).append('\n');
        sb.append(TrainReading.paragraph(report)).append('\n');
        return sb.toString();
    }

    /** e.g. {@code digits (1347 train rows) · mlp [64] relu · sgd lr 0.1 · batch 32 · 300 steps · seed 42}. */
    static String setup(TrainConfig c) {
        StringBuilder sb = new StringBuilder(c.data().dataset());
        if (c.data().padFraction() != 0) {
            sb.append(" · padFraction ").append(c.data().padFraction());
        }
        sb.append(" · ").append(c.model().model());
        if (c.model().mlp()) {
            sb.append(' ').append(c.model().hidden()).append(' ').append(c.model().activation());
        }
        if (c.model().logitScale() != 1) {
            sb.append(" · logit scale ").append(Numbers.significant(c.model().logitScale(), 4));
        }
        sb.append(" · ").append(c.optimizer().name()).append(" lr ")
                .append(Numbers.significant(c.optimizer().lr(), 4));
        sb.append(" · batch ").append(c.batchSize());
        sb.append(" · ").append(c.epochs() != null ? c.epochs() + " epochs" : c.steps() + " steps");
        if (c.loss().labelSmoothing() != 0) {
            sb.append(" · label smoothing ").append(c.loss().labelSmoothing());
        }
        for (LossOption o : LossOption.values()) {
            // every other loss-head option in force, so a run with z-loss can never read as one without
            if (o != LossOption.LABEL_SMOOTHING && c.loss().isSet(o)) {
                sb.append(" · ").append(o.key()).append(' ').append(c.loss().valueText(o));
            }
        }
        if (c.accumulate() != null && (c.precision().contains(Precision.BF16) || c.precision().contains(Precision.FP16))) {
            sb.append(" · bf16/fp16 sums in ").append(c.accumulate());
        }
        if (c.targets() != TargetKind.SPARSE) {
            sb.append(" · ").append(c.targets()).append(" targets");
        }
        sb.append(" · on non-finite: ").append(c.onNonfinite());
        sb.append(" · seed ").append(c.seed());
        return sb.toString();
    }

    /**
     * e.g. {@code loaded 150 rows (112 train, 38 test), 4 features, 3 classes: 0=setosa 1=versicolor 2=virginica}:
     * what was loaded, and which label became which class index (the first 12; the report lists them all).
     */
    static String data(DataSummary d) {
        StringBuilder sb = new StringBuilder("loaded ").append(d.rows()).append(" rows (").append(d.trainRows())
                .append(" train, ").append(d.testRows()).append(" test), ").append(d.features())
                .append(d.features() == 1 ? " feature, " : " features, ").append(d.classes()).append(" classes:");
        int shown = Math.min(d.classes(), 12);
        for (int i = 0; i < shown; i++) {
            String name = d.classNames().get(i);
            sb.append(' ').append(i).append('=').append(name.equals(Integer.toString(i)) ? name
                    : UserText.quote(name));
        }
        if (shown < d.classes()) {
            sb.append(" ... (").append(d.classes() - shown).append(" more in the report's data.classNames)");
        }
        return sb.toString();
    }

    /** One row per run, in report order, under a line that groups the train and test columns. */
    public static String table(TrainingReport report) {
        TextTable t = new TextTable(TextTable.left("run"), TextTable.right("loss"), TextTable.right("acc"),
                TextTable.right("loss"), TextTable.right("acc"), TextTable.right("lse"), TextTable.right("1st NF"),
                TextTable.right("skip"),
                TextTable.right("NF vals"), TextTable.left("key event"));
        for (TrainingRun r : report.runs()) {
            RunSummary s = r.summary();
            String id = r.id() + (s.status().equals("stopped") ? "*" : "");
            t.row(id, Numbers.significant(s.finalTrainLoss(), 4), percent(s.finalTrainAccuracy()),
                    Numbers.significant(s.finalTestLoss(), 4), percent(s.finalTestAccuracy()),
                    Numbers.significant(s.finalMeanLse(), 4), s.firstNonFiniteStep() == null ? "-" : s.firstNonFiniteStep().toString(),
                    Integer.toString(s.skippedSteps()), compact(s.totalNonFinite()), keyEvent(s.events()));
        }
        String body = t.render();
        String rule = body.split("\n", 3)[1];
        int[][] spans = spans(rule);
        StringBuilder groups = new StringBuilder();
        group(groups, spans[1][0], spans[2][1], "train");
        groups.append("  ");
        group(groups, spans[3][0], spans[4][1], "test");
        return groups + "\n" + body;
    }

    /** [start, end) of each column, from the table's rule of dashes. */
    private static int[][] spans(String rule) {
        java.util.List<int[]> spans = new java.util.ArrayList<>();
        int i = 0;
        while (i < rule.length()) {
            int start = i;
            while (i < rule.length() && rule.charAt(i) == '-') {
                i++;
            }
            spans.add(new int[] {start, i});
            while (i < rule.length() && rule.charAt(i) == ' ') {
                i++;
            }
        }
        return spans.toArray(new int[0][]);
    }

    /** Pads to {@code start}, then centres " label " in dashes over [start, end). */
    private static void group(StringBuilder line, int start, int end, String label) {
        line.append(" ".repeat(Math.max(0, start - line.length())));
        String text = " " + label + " ";
        int dashes = Math.max(0, end - start - text.length());
        line.append("-".repeat(dashes / 2)).append(text).append("-".repeat(dashes - dashes / 2));
    }

    static String legend() {
        return "train: the run's own loss path and precision on the whole training split, final weights; test: the "
                + "fp64 fused loss on the test split, the same yardstick for every run. lse: the last step's mean "
                + "log-sum-exp of the logits over the batch (each step's meanLse is in the JSON and CSV). 1st NF: "
                + "first step with a "
                + "non-finite loss or logit gradient; skip: updates withheld; NF vals: non-finite values over all "
                + "steps; key event: the most telling operation event (overflow and underflow are exp's; every count "
                + "is in the JSON); * = stopped early.";
    }

    static String percent(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f%%", 100 * v) : Double.toString(v);
    }

    /**
     * The first non-zero event in order of how much it tells: overflow and the NaN makers first, the benign
     * underflow and subnormals last. "-" if none.
     */
    static String keyEvent(EventCounts e) {
        long[] counts = {e.expOverflow(), e.logOfZero(), e.divByZero(), e.infOverInf(), e.zeroTimesInf(),
            e.infMinusInf(), e.clipped(), e.saturated(), e.expUnderflow(), e.subnormal()};
        String[] names = {"overflow", "log 0", "x/0", "inf/inf", "0*inf", "inf-inf", "clipped", "saturated",
            "underflow", "subnormal"};
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                return names[i] + " " + compact(counts[i]);
            }
        }
        return "-";
    }

    /** 1234 -> 1234, 12345 -> 12.3k, 1234567 -> 1.23M. */
    static String compact(long n) {
        if (n < 10_000) {
            return Long.toString(n);
        }
        if (n < 1_000_000) {
            return String.format(Locale.ROOT, "%.1fk", n / 1e3);
        }
        if (n < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.2fM", n / 1e6);
        }
        return String.format(Locale.ROOT, "%.2fG", n / 1e9);
    }
}
