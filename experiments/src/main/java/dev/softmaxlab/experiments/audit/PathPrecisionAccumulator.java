package dev.softmaxlab.experiments.audit;

import dev.softmaxlab.core.numeric.FirstNonFinite;
import dev.softmaxlab.core.numeric.NumericEvents;
import dev.softmaxlab.core.precision.PrecisionSpec;
import dev.softmaxlab.experiments.report.EventCounts;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Sums one path × precision over the rows, fed in row order (so the result does not depend on the thread count). */
final class PathPrecisionAccumulator {

    private static final Comparator<AuditReport.WorstRow> WORST_FIRST = Comparator
            .comparing((AuditReport.WorstRow w) -> !w.broken())
            .thenComparing(w -> -(Double.isNaN(w.errorUlps()) ? Double.POSITIVE_INFINITY : w.errorUlps()))
            .thenComparingLong(AuditReport.WorstRow::row);

    private final int combo;
    private final String path;
    private final PrecisionSpec spec;
    private final int worstCount;
    private long rows;
    private double lossSum;
    private double exactSum;
    private long exactRows;
    private final Quantile ulps = new Quantile();
    private final Quantile relative = new Quantile();
    private double gradientMaxAbs = Double.NaN;
    private double worstCosine = Double.NaN;
    private double labelRelativeMax = Double.NaN;
    private final NumericEvents events = new NumericEvents();
    private long broken;
    private AuditReport.BrokenRow firstBroken;
    private final Quantile scale = new Quantile();
    private final Quantile up = new Quantile();
    private final Quantile down = new Quantile();
    private final List<AuditReport.WorstRow> worst = new ArrayList<>();

    PathPrecisionAccumulator(int combo, String path, PrecisionSpec spec, int worstCount) {
        this.combo = combo;
        this.path = path;
        this.spec = spec;
        this.worstCount = worstCount;
    }

    void add(RowRecord r) {
        int k = combo;
        rows++;
        lossSum += r.loss[k];
        events.merge(r.events[k]);
        if (r.broken[k]) {
            broken++;
            if (firstBroken == null) {
                FirstNonFinite f = r.events[k].firstNonFinite();
                firstBroken = new AuditReport.BrokenRow(r.index, f == null ? null : f.op(),
                        f == null ? null : f.classIndex());
            }
        }
        if (r.hasReference) {
            exactSum += r.exactLoss;
            exactRows++;
            if (!r.broken[k]) {
                ulps.add(r.lossUlps[k]);
                relative.add(r.lossRelative[k]);
                gradientMaxAbs = maxOf(gradientMaxAbs, r.gradientMaxAbs[k]);
                worstCosine = Double.isNaN(worstCosine) ? r.gradientCosine[k] : Math.min(worstCosine, r.gradientCosine[k]);
                if (r.label >= 0) {
                    labelRelativeMax = maxOf(labelRelativeMax, r.labelRelative[k]);
                }
            }
        }
        if (r.sampled) {
            scale.add(r.headroomScale[k]);
            up.add(r.headroomOffsetUp[k]);
            down.add(r.headroomOffsetDown[k]);
        }
        if (worstCount > 0) {
            worst.add(new AuditReport.WorstRow(r.index, r.label, r.maxLogit, r.spread(), r.pLabel, r.loss[k],
                    r.exactLoss, r.lossUlps[k], r.broken[k]));
            if (worst.size() > 4 * worstCount + 16) {
                trim();
            }
        }
    }

    private static double maxOf(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }

    private void trim() {
        worst.sort(WORST_FIRST);
        worst.subList(Math.min(worst.size(), worstCount), worst.size()).clear();
    }

    AuditReport.PathPrecision report() {
        trim();
        AuditReport.HeadroomSummary headroom = scale.size() == 0 ? null : new AuditReport.HeadroomSummary(scale.size(),
                new AuditReport.Range(scale.min(), scale.quantile(0.5), Math.pow(2, Headroom.SCALE_MAX_LOG2)),
                new AuditReport.Range(up.min(), up.quantile(0.5), Math.pow(2, Headroom.OFFSET_MAX_LOG2)),
                new AuditReport.Range(down.min(), down.quantile(0.5), Math.pow(2, Headroom.OFFSET_MAX_LOG2)));
        return new AuditReport.PathPrecision(path, spec.compute().id(), spec.accumulate().id(), rows,
                rows == 0 ? Double.NaN : lossSum / rows, exactRows == 0 ? Double.NaN : exactSum / exactRows,
                ulps.summary(), relative.summary(), gradientMaxAbs, worstCosine, labelRelativeMax,
                EventCounts.of(events), broken, firstBroken, headroom, List.copyOf(worst));
    }
}
