package dev.softmaxlab.experiments.audit;

import dev.softmaxlab.core.loss.LossOption;
import dev.softmaxlab.core.loss.LossOptions;
import dev.softmaxlab.core.loss.LossPath;
import dev.softmaxlab.core.loss.LossPaths;
import java.io.IOException;
import java.io.Writer;

/**
 * {@code --format csv}: the per-path summary, one row per path × precision, RFC 4180, numbers in Java's shortest
 * round-trip form (NaN and Infinity as those words), empty cells where there is nothing (no headroom, no broken row).
 * The loss-head options each row's path ran with close the row (appended, so earlier columns keep their places):
 * classWeights as one quoted cell "w0,w1,...", empty for none; softcap empty for none; chunkSize and chunkCarry
 * only for a path that uses them, chunkCarry "accumulation" when it is the accumulation precision.
 */
public final class AuditCsv {

    public static final String HEADER = "path,precision,accumulate,rows,lossMean,exactLossMean,lossErrorUlpsMedian,"
            + "lossErrorUlpsP99,lossErrorUlpsMax,lossErrorRelativeMax,gradientMaxAbsError,gradientWorstCosine,"
            + "labelGradientRelativeErrorMax,nonFinite,brokenRows,firstBrokenRow,headroomScaleMin,"
            + "headroomOffsetUpMin,headroomOffsetDownMin,ignoreIndex,classWeights,zLoss,softcap,chunkSize,chunkCarry";

    private AuditCsv() {
    }

    public static void write(AuditReport report, AuditConfig config, Writer w) throws IOException {
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
                    h == null ? "" : d(h.offsetDown().min()), options(LossPaths.byId(p.path()), config)));
            w.write('\n');
        }
    }

    /** The loss-head cells of one path's row. */
    private static String options(LossPath path, AuditConfig config) {
        LossOptions o = LossPaths.optionsFor(path, config.lossOptions());
        boolean chunked = LossPaths.accepts(path, LossOption.CHUNK_SIZE);
        return String.join(",", Long.toString(config.ignoreIndex()),
                o.classWeights().isUniform() ? "" : "\"" + o.valueText(LossOption.CLASS_WEIGHTS) + "\"",
                d(o.zLoss()), o.softcap().isPresent() ? d(o.softcap().getAsDouble()) : "",
                chunked ? Integer.toString(o.chunkSize()) : "",
                chunked ? o.valueText(LossOption.CHUNK_CARRY) : "");
    }

    private static String d(double v) {
        return Double.toString(v);
    }
}
