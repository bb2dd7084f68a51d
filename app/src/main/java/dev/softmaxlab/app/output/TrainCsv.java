package dev.softmaxlab.app.output;

import dev.softmaxlab.experiments.report.EvalRecord;
import dev.softmaxlab.experiments.report.EventCounts;
import dev.softmaxlab.experiments.report.ReferenceError;
import dev.softmaxlab.experiments.report.RunSummary;
import dev.softmaxlab.experiments.report.StepRecord;
import dev.softmaxlab.experiments.report.TrainingReport;
import dev.softmaxlab.experiments.report.TrainingRun;
import java.io.IOException;
import java.io.Writer;

/**
 * The {@code csv} format of {@code train}: long form, one value per line, for pandas, R and spreadsheets:
 * {@code run,path,precision,step,metric,value}. Steps give {@code loss}, {@code accuracy}, {@code logitGradientNorm},
 * {@code paramGradientNorm}, {@code maxAbsLogit}, {@code skipped} (0/1), {@code nonFinite} (the step's non-finite
 * values), each operation event by its id, the reference errors ({@code error.lossAbs}, ...) and {@code meanLse} (the
 * batch's mean log-sum-exp of the logits, last so the earlier metrics keep their places); evaluations give
 * {@code testLoss} and {@code testAccuracy}; the summary's values come last with the step at which the run ended.
 * Non-finite values print as {@code NaN}, {@code Infinity}, {@code -Infinity} (pandas reads all three as floats);
 * an absent value (a run that never went non-finite has no {@code firstNonFiniteStep}) is an empty cell.
 */
public final class TrainCsv {

    public static final String HEADER = "run,path,precision,step,metric,value";

    private TrainCsv() {
    }

    public static void write(TrainingReport report, Writer w) throws IOException {
        w.write(HEADER);
        w.write('\n');
        for (TrainingRun r : report.runs()) {
            String prefix = r.id() + "," + r.path() + "," + r.precision() + ",";
            for (StepRecord s : r.steps()) {
                String p = prefix + s.step() + ",";
                row(w, p, "loss", s.loss());
                row(w, p, "accuracy", s.accuracy());
                row(w, p, "logitGradientNorm", s.logitGradientNorm());
                row(w, p, "paramGradientNorm", s.paramGradientNorm());
                row(w, p, "maxAbsLogit", s.maxAbsLogit());
                row(w, p, "skipped", s.skipped() ? 1 : 0);
                EventCounts e = s.events();
                row(w, p, "nonFinite", e.totalNonFinite());
                events(w, p, e);
                ReferenceError x = s.error();
                row(w, p, "error.lossAbs", x.lossAbs());
                row(w, p, "error.lossRel", x.lossRel());
                row(w, p, "error.lossUlps", x.lossUlps());
                row(w, p, "error.gradientMaxAbs", x.gradientMaxAbs());
                row(w, p, "error.gradientRel", x.gradientRel());
                row(w, p, "error.gradientCosine", x.gradientCosine());
                row(w, p, "meanLse", s.meanLse()); // appended last, so the earlier metrics keep their order
            }
            for (EvalRecord e : r.evals()) {
                String p = prefix + e.step() + ",";
                row(w, p, "testLoss", e.testLoss());
                row(w, p, "testAccuracy", e.testAccuracy());
            }
            RunSummary s = r.summary();
            String p = prefix + s.stepsRun() + ",";
            row(w, p, "finalTrainLoss", s.finalTrainLoss());
            row(w, p, "finalTrainAccuracy", s.finalTrainAccuracy());
            row(w, p, "finalTestLoss", s.finalTestLoss());
            row(w, p, "finalTestAccuracy", s.finalTestAccuracy());
            w.write(p + "firstNonFiniteStep," + (s.firstNonFiniteStep() == null ? "" : s.firstNonFiniteStep()) + "\n");
            row(w, p, "skippedSteps", s.skippedSteps());
            row(w, p, "totalNonFinite", s.totalNonFinite());
            row(w, p, "stopped", s.status().equals("stopped") ? 1 : 0);
        }
    }

    private static void events(Writer w, String p, EventCounts e) throws IOException {
        row(w, p, "expOverflow", e.expOverflow());
        row(w, p, "expUnderflow", e.expUnderflow());
        row(w, p, "subnormal", e.subnormal());
        row(w, p, "logOfZero", e.logOfZero());
        row(w, p, "divByZero", e.divByZero());
        row(w, p, "infOverInf", e.infOverInf());
        row(w, p, "zeroTimesInf", e.zeroTimesInf());
        row(w, p, "infMinusInf", e.infMinusInf());
        row(w, p, "clipped", e.clipped());
        row(w, p, "saturated", e.saturated());
    }

    private static void row(Writer w, String prefix, String metric, double value) throws IOException {
        w.write(prefix);
        w.write(metric);
        w.write(',');
        w.write(Double.toString(value));
        w.write('\n');
    }

    private static void row(Writer w, String prefix, String metric, long value) throws IOException {
        w.write(prefix);
        w.write(metric);
        w.write(',');
        w.write(Long.toString(value));
        w.write('\n');
    }
}
