package dev.softmaxlab.experiments.audit;

import java.io.IOException;
import java.io.Writer;

/**
 * {@code --format csv}: the per-path summary, one row per path × precision, RFC 4180, numbers in Java's shortest
 * round-trip form (NaN and Infinity as those words), empty cells where there is nothing (no headroom, no broken row).
 */
public final class AuditCsv {

    public static final String HEADER = "path,precision,accumulate,rows,lossMean,exactLossMean,lossErrorUlpsMedian,"
            + "lossErrorUlpsP99,lossErrorUlpsMax,lossErrorRelativeMax,gradientMaxAbsError,gradientWorstCosine,"
            + "labelGradientRelativeErrorMax,nonFinite,brokenRows,firstBrokenRow,headroomScaleMin,"
            + "headroomOffsetUpMin,headroomOffsetDownMin";

    private AuditCsv() {
    }

    public static void write(AuditReport report, Writer w) throws IOException {
        w.write(HEADER);
        w.write('\n');
        for (AuditReport.PathPrecision p : report.paths()) {
            AuditReport.HeadroomSummary h = p.headroom();
            w.write(String.join(",", p.path(), p.precision(), p.accumulate(), Long.toString(p.rows()),
                    d(p.lossMean()), d(p.exactLossMean()), d(p.lossErrorUlps().median()), d(p.lossErrorUlps().p99()),
                    d(p.lossErrorUlps().max()), d(p.lossErrorRelative().max()), d(p.gradientMaxAbsError()),
                    d(p.gradientWorstCosine()), d(p.labelGradientRelativeErrorMax()),
                    Long.toString(p.events().totalNonFinite()), Long.toString(p.brokenRows()),
                    p.firstBroken() == null ? "" : Long.toString(p.firstBroken().row()),
                    h == null ? "" : d(h.scale().min()), h == null ? "" : d(h.offsetUp().min()),
                    h == null ? "" : d(h.offsetDown().min())));
            w.write('\n');
        }
    }

    private static String d(double v) {
        return Double.toString(v);
    }
}
