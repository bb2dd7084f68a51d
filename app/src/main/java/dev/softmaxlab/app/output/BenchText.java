package dev.softmaxlab.app.output;

import dev.softmaxlab.experiments.bench.BenchReport;
import java.util.List;
import java.util.Locale;

/** The text form of a {@code bench} report: the kernels, the bit check, then one table of timings. */
public final class BenchText {

    private BenchText() {
    }

    public static String render(BenchReport report) {
        StringBuilder b = new StringBuilder();
        BenchReport.Settings c = report.config();
        b.append("kernels: ").append(report.kernels().choice()).append('\n');
        b.append(String.format(Locale.ROOT, "%s targets, %d thread%s, %d warmup, %s, seed %d%n", c.targets(),
                c.threads(), c.threads() == 1 ? "" : "s", c.warmup(), c.seconds() > 0
                        ? String.format(Locale.ROOT, "at least %d timed evaluations and %.3g s each", c.iterations(),
                                c.seconds())
                        : c.iterations() + " timed evaluation" + (c.iterations() == 1 ? "" : "s"), c.seed()));
        b.append('\n');
        if (report.bitChecks().isEmpty()) {
            b.append("bit check: no fast kernel to check (reference kernels only)\n");
        } else {
            b.append("bit check, fast kernel against its reference on sampled rows (loss, probabilities, gradient,"
                    + " events):\n");
            TextTable checks = new TextTable(TextTable.left("shape"), TextTable.left("precision"),
                    TextTable.left("path"), TextTable.left("kernel"), TextTable.right("rows"),
                    TextTable.left("result"));
            for (BenchReport.BitCheck k : report.bitChecks()) {
                checks.row(k.shape(), k.precision(), k.path(), k.kernel(), Integer.toString(k.rows()),
                        k.identical() ? "identical" : "DIFFERENT: " + k.firstDifference());
            }
            b.append(checks.render());
        }
        if (!report.checksPassed()) {
            b.append("\nnot timed: a fast kernel does not give its reference's bits\n");
            return b.toString();
        }
        b.append('\n');
        TextTable t = new TextTable(TextTable.left("shape"), TextTable.left("precision"), TextTable.left("path"),
                TextTable.left("kernel"), TextTable.right("ns/elem"), TextTable.right("min"), TextTable.right("max"),
                TextTable.right("GB/s"), TextTable.right("extra MB"), TextTable.right("x fused"));
        for (BenchReport.Result r : report.results()) {
            t.row(r.shape(), r.precision(), r.path(), r.kernel(), fixed(r.nsPerElementMedian()),
                    fixed(r.nsPerElementMin()), fixed(r.nsPerElementMax()), fixed(r.gbPerSecond()),
                    String.format(Locale.ROOT, "%.1f", r.extraBytes() / 1e6),
                    r.ratioToFused() == null ? "-" : fixed(r.ratioToFused()));
        }
        b.append(t.render());
        b.append("ns/elem: median wall time of one forward+backward evaluation per logit; min and max over the timed"
                + " evaluations.\n");
        if (!c.variant().equals("reference")) {
            List<String> referenceOnly = report.results().stream()
                    .filter(r -> report.results().stream().noneMatch(o -> o.shape().equals(r.shape())
                            && o.precision().equals(r.precision()) && o.path().equals(r.path())
                            && !o.kernel().equals("reference")))
                    .map(r -> r.path() + " " + r.precision() + " " + r.shape()).distinct().toList();
            if (!referenceOnly.isEmpty()) {
                b.append("no fast kernel, every row ran the reference (nothing to bit-check): ")
                        .append(String.join(", ", referenceOnly)).append('\n');
            }
        }
        return b.toString();
    }

    private static String fixed(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
    }
}
