package dev.softmaxlab.app.output;

import dev.softmaxlab.core.loss.LossOptions;
import dev.softmaxlab.experiments.audit.AuditDocument;
import dev.softmaxlab.experiments.audit.AuditReport;

import java.util.List;
import java.util.Locale;

/**
 * The text form of an audit, for people: where the numbers came from, the input's statistics, one table row per path
 * and precision, the generated reading, and the worst rows.
 */
public final class AuditText {

    private AuditText() {
    }

    /**
     * @param options the loss-head options of the audit: every one in force is named on a line of its own under the
     *                first ({@link ProbeText#header}), so an audit with a z-loss or a cap can never pass for one without
     */
    public static String render(AuditDocument doc, LossOptions options) {
        StringBuilder b = new StringBuilder();
        AuditReport.InputStats in = doc.input();
        AuditDocument.Source src = doc.source();
        b.append("softmaxlab audit: ").append(src.file().name()).append(" (").append(src.format()).append(", ")
                .append(bytes(src.file().bytes())).append(")");
        if (src.logits() != null) {
            b.append(", logits '").append(src.logits()).append("'");
        }
        b.append(src.labels() != null ? ", labels from " + src.labels() : ", dense targets from " + src.targets())
                .append('\n');
        String head = ProbeText.header(options);
        if (!head.isEmpty()) {
            b.append(head.strip()).append('\n');
        }
        b.append(String.format(Locale.ROOT, "input: %d rows x %d classes, %s %s; logits in [%s, %s]; spread per row "
                        + "median %s, max %s; entropy mean %s nats; %d rows confident (p_label > 0.99)%n",
                in.rows(), in.classes(), in.dtype(), in.shape(), g(in.logitMin()), g(in.logitMax()),
                g(in.spread().median()), g(in.spread().max()), g(in.entropy().mean()), in.confidentRows()));
        if (in.ignoredRows() > 0 || in.nonFiniteLogits() > 0) {
            b.append(String.format(Locale.ROOT, "       %d rows ignored (label %d); %d NaN/Inf logits in %d rows%n",
                    in.ignoredRows(), doc.config().ignoreIndex(), in.nonFiniteLogits(), in.rowsWithNonFinite()));
        }
        b.append('\n');
        TextTable t = new TextTable(TextTable.left("path"), TextTable.left("prec"), TextTable.right("loss mean"),
                TextTable.right("exact mean"), TextTable.right("err ulps med"), TextTable.right("p99"),
                TextTable.right("max"), TextTable.right("grad max-abs"), TextTable.right("worst cos"),
                TextTable.right("label rel"), TextTable.right("non-finite"), TextTable.right("broken"),
                TextTable.right("headroom x"));
        for (AuditReport.PathPrecision p : doc.paths()) {
            t.row(p.path(), p.precision(), g(p.lossMean()), g(p.exactLossMean()), g(p.lossErrorUlps().median()),
                    g(p.lossErrorUlps().p99()), g(p.lossErrorUlps().max()), g(p.gradientMaxAbsError()),
                    cos(p.gradientWorstCosine()), g(p.labelGradientRelativeErrorMax()),
                    Long.toString(p.events().totalNonFinite()), Long.toString(p.brokenRows()),
                    p.headroom() == null ? "-" : headroom(p.headroom().scale()));
        }
        b.append(t.render());
        b.append("\nReading:\n");
        for (String s : doc.reading()) {
            b.append("  - ").append(s).append('\n');
        }
        boolean any = false;
        for (AuditReport.PathPrecision p : doc.paths()) {
            List<AuditReport.WorstRow> w = p.worstRows();
            if (w.isEmpty()) {
                continue;
            }
            if (!any) {
                b.append("\nWorst rows (largest loss error; broken rows first):\n");
                any = true;
            }
            for (AuditReport.WorstRow r : w) {
                b.append(String.format(Locale.ROOT, "  %-22s row %d: label %d, max logit %s, spread %s, p_label %s, "
                                + "loss %s vs exact %s, %s ulps%s%n", p.precision() + " " + p.path(), r.row(), r.label(),
                        g(r.maxLogit()), g(r.spread()), g(r.pLabel()), g(r.loss()), g(r.exactLoss()),
                        g(r.errorUlps()), r.broken() ? " (broken)" : ""));
            }
        }
        b.append(String.format(Locale.ROOT, "%ntime: %.1f s wall (reading %.1f s, overlapped with evaluation %.1f s); "
                        + "worker time: exact reference %.1f s, paths %.1f s, headroom %.1f s%n",
                doc.timing().totalSeconds(), doc.timing().readSeconds(), doc.timing().evaluateSeconds(),
                doc.timing().exactSeconds(), doc.timing().pathsSeconds(), doc.timing().headroomSeconds()));
        return b.toString();
    }

    private static String g(double v) {
        return Numbers.significant(v, 3);
    }

    /** The smallest scale headroom over the sampled rows; "≥" when the search's bound was reached. */
    private static String headroom(AuditReport.Range r) {
        return (r.min() >= r.bound() ? ">=" : "") + g(r.min());
    }

    private static String cos(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        return v == 1.0 ? "1" : String.format(Locale.ROOT, "1-%s", Numbers.significant(1 - v, 2));
    }

    private static String bytes(long n) {
        if (n < 1 << 20) {
            return n + " bytes";
        }
        return String.format(Locale.ROOT, "%.1f MiB", n / (double) (1 << 20));
    }
}
