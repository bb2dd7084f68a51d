package dev.softmaxlab.experiments.train;

import dev.softmaxlab.experiments.config.OnNonfinite;
import dev.softmaxlab.experiments.config.TargetKind;
import dev.softmaxlab.experiments.config.TrainConfig;
import dev.softmaxlab.core.loss.LossInput;
import dev.softmaxlab.core.loss.LossOptions;
import dev.softmaxlab.core.loss.LossPath;
import dev.softmaxlab.core.loss.LossPaths;
import dev.softmaxlab.core.loss.LossResult;
import dev.softmaxlab.core.loss.Targets;
import dev.softmaxlab.core.numeric.NumericEvents;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import dev.softmaxlab.experiments.data.Dataset;
import dev.softmaxlab.experiments.data.Seeds;
import dev.softmaxlab.experiments.data.Split;
import dev.softmaxlab.experiments.model.Model;
import dev.softmaxlab.experiments.optim.Optimizer;
import dev.softmaxlab.experiments.report.EvalRecord;
import dev.softmaxlab.experiments.report.EventCounts;
import dev.softmaxlab.experiments.report.ReferenceError;
import dev.softmaxlab.experiments.report.RunSummary;
import dev.softmaxlab.experiments.report.RunTiming;
import dev.softmaxlab.experiments.report.StepRecord;
import dev.softmaxlab.experiments.report.TrainingRun;
import java.util.ArrayList;
import java.util.List;

/**
 * One loss path at one precision: the training loop of one model copy. All buffers are sized once, so a step that is
 * not logged allocates nothing; a logged step allocates only its record.
 *
 * <p>Per step: forward (model precision) -> logits [B, C]; the path's loss head at the run's precision -> loss and
 * dlogits [B, C]; model backward -> dparams [P]; optimizer step, unless {@code onNonfinite} withholds it.
 */
final class PathRun {

    /** A finished run and its wall-clock figures, kept apart. */
    record Outcome(TrainingRun run, RunTiming timing) {
    }

    private static final PrecisionSpec REFERENCE = PrecisionSpec.of(Precision.FP64);

    private final TrainConfig config;
    private final Dataset train;
    private final Dataset test;
    private final Model model;
    private final Optimizer optimizer;
    private final String id;
    private final String pathId;
    private final LossPath path;
    private final LossPath fused;
    private final Precision precision;
    private final PrecisionSpec spec;
    private final LossOptions options;
    private final LossOptions referenceOptions;
    /** The training split's labels, [N], with the padding rows (padFraction) set to the ignore index. */
    private final int[] trainLabels;
    private final long batchSeed;
    private final int totalSteps;

    PathRun(TrainConfig config, Split data, Model model, Optimizer optimizer, LossPath path,
            Precision precision, long batchSeed, int totalSteps) {
        this.config = config;
        this.train = data.train();
        this.test = data.test();
        this.model = model;
        this.optimizer = optimizer;
        this.pathId = path.id();
        this.path = path;
        this.fused = LossPaths.byId("fused");
        this.precision = precision;
        this.spec = config.precisionSpec(precision);
        // each path runs with the options it uses; the reference, fp64 fused, with those fused uses
        this.options = LossPaths.optionsFor(path, config.loss());
        this.referenceOptions = LossPaths.optionsFor(fused, config.loss());
        this.options.requireFits(train.classCount(), spec); // class weights per class, ignore index, chunk carry
        this.trainLabels = padded(train.labels(), config);
        this.id = TrainingRun.idOf(pathId, precision.id());
        this.batchSeed = batchSeed;
        this.totalSteps = totalSteps;
    }

    Outcome execute(TrainListener listener) {
        long start = System.nanoTime();
        listener.runStarted(id, pathId, precision.id(), totalSteps);
        int n = train.rows();
        int d = train.featureCount();
        int c = train.classCount();
        int b = Math.min(config.batchSize(), n);
        boolean dense = config.targets() == TargetKind.DENSE;
        OnNonfinite onNonfinite = config.onNonfinite();

        int[] indices = new int[b];
        double[] x = new double[b * d];          // x is [B, D]
        int[] labels = new int[b];               // labels is [B]
        double[] oneHot = dense ? new double[b * c] : null; // oneHot is [B, C]
        double[] logits = new double[b * c];     // logits is [B, C]
        double[] rounded = new double[b * c];    // logits rounded to the run's precision, for the reference
        double[] paramGrad = new double[model.parameterCount()];
        BatchOrder order = new BatchOrder(n, batchSeed);
        LossResult result = LossResult.withoutProbabilities(); // training reads the loss, gradient and events only
        LossResult reference = LossResult.withoutProbabilities();
        NumericEvents totals = new NumericEvents();

        order.next(indices, b);
        gather(indices, b, x, labels, oneHot);
        Targets targets = dense ? new Targets.Dense(oneHot) : new Targets.Sparse(labels);
        LossInput input = new LossInput(logits, b, c, targets);
        LossInput referenceInput = new LossInput(rounded, b, c, targets);

        List<StepRecord> steps = new ArrayList<>();
        List<EvalRecord> evals = new ArrayList<>();
        Integer firstNonFiniteStep = null;
        int skipped = 0;
        int stepsRun = 0;
        boolean stopped = false;
        double finalLse = Double.NaN;
        double maxLse = Double.NEGATIVE_INFINITY;
        double maxAbsMax = 0;
        for (int step = 1; step <= totalSteps; step++) {
            if (step > 1) {
                order.next(indices, b);
                gather(indices, b, x, labels, oneHot);
            }
            model.forward(x, b, logits);
            path.evaluate(input, options, spec, result);
            NumericEvents events = result.events();
            totals.merge(events);
            double logitGradNorm = norm(result.gradient(), b * c);
            boolean nonFinite = !Double.isFinite(result.loss()) || events.totalNonFinite() > 0
                    || !Double.isFinite(logitGradNorm);
            boolean firstNow = nonFinite && firstNonFiniteStep == null;
            if (firstNow) {
                firstNonFiniteStep = step;
            }
            // every step, logged or not, so the run's maxima do not depend on logEvery; no allocation
            double stepMaxAbs = maxAbs(logits, b * c);
            double stepLse = meanLse(logits, b, c, precision);
            finalLse = stepLse;
            maxLse = Math.max(maxLse, stepLse);
            maxAbsMax = Math.max(maxAbsMax, stepMaxAbs);
            model.backward(result.gradient(), paramGrad);
            double paramGradNorm = norm(paramGrad, paramGrad.length);
            boolean guarded = onNonfinite != OnNonfinite.CONTINUE;
            boolean skip = guarded && (nonFinite || !Double.isFinite(paramGradNorm));
            if (skip) {
                skipped++;
            } else {
                optimizer.step(model.parameters(), paramGrad);
            }
            stepsRun = step;
            stopped = skip && onNonfinite == OnNonfinite.STOP;
            boolean last = step == totalSteps || stopped;
            if (step == 1 || step % config.logEvery() == 0 || last || firstNow) {
                StepRecord record = new StepRecord(step, result.loss(), accuracy(logits, labels, b, c), logitGradNorm,
                        paramGradNorm, stepMaxAbs, stepLse, skip, EventCounts.of(events), events.firstNonFinite(),
                        referenceError(result, input, referenceInput, rounded, reference, b * c));
                steps.add(record);
                listener.stepLogged(id, record);
            }
            listener.stepFinished(id, step);
            if (stopped) {
                break;
            }
            if (step % config.evalEvery() == 0 && step != totalSteps) {
                evaluate(step, evals, listener);
            }
        }
        evaluate(stepsRun, evals, listener);
        EvalRecord last = evals.get(evals.size() - 1);
        double[] trainFit = trainLossAndAccuracy();
        RunSummary summary = new RunSummary(stopped ? "stopped" : "completed", stepsRun, trainFit[0], trainFit[1],
                last.testLoss(), last.testAccuracy(), firstNonFiniteStep, skipped, totals.totalNonFinite(),
                finalLse, maxLse, maxAbsMax, EventCounts.of(totals));
        listener.runFinished(id, summary);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Outcome(new TrainingRun(id, pathId, precision.id(), spec.accumulate().id(), steps, evals, summary),
                new RunTiming(seconds, stepsRun / seconds));
    }

    /**
     * The labels with a share {@code padFraction} of the rows marked as padding: their label becomes the ignore index,
     * so the loss head leaves them out of the loss, the gradient and the mean's denominator. Which rows is drawn once
     * from the root seed, so every path and precision pads the same rows. Dense targets have no label to ignore:
     * there the labels are returned as they are ({@code padFraction} is refused with them, see ConfigKeys.needs).
     */
    static int[] padded(int[] labels, TrainConfig config) {
        double fraction = config.data().padFraction();
        if (fraction == 0.0 || config.targets() == TargetKind.DENSE) {
            return labels;
        }
        int[] out = labels.clone();
        java.util.random.RandomGenerator g = Seeds.stream(config.seed(), Seeds.PADDING);
        for (int i = 0; i < out.length; i++) {
            if (g.nextDouble() < fraction) {
                out[i] = config.loss().ignoreIndex();
            }
        }
        return out;
    }

    /** Copies the batch's rows: x [B, D], labels [B], and one-hot rows [B, C] when targets are dense. */
    private void gather(int[] indices, int b, double[] x, int[] labels, double[] oneHot) {
        int d = train.featureCount();
        int c = train.classCount();
        for (int i = 0; i < b; i++) {
            int row = indices[i];
            System.arraycopy(train.features(), row * d, x, i * d, d);
            labels[i] = trainLabels[row];
            if (oneHot != null) {
                java.util.Arrays.fill(oneHot, i * c, (i + 1) * c, 0.0);
                oneHot[i * c + labels[i]] = 1.0;
            }
        }
    }

    /** The path against fp64 fused on the same logits rounded to the run's precision. */
    private ReferenceError referenceError(LossResult result, LossInput input, LossInput referenceInput,
                                          double[] rounded, LossResult reference, int size) {
        double[] logits = input.logits();
        for (int i = 0; i < size; i++) {
            rounded[i] = precision.round(logits[i]);
        }
        fused.evaluate(referenceInput, referenceOptions, REFERENCE, reference);
        return ReferenceErrors.of(result.loss(), reference.loss(), result.gradient(), reference.gradient(), size,
                precision);
    }

    /** A test-set evaluation with the fp64 fused loss: the same yardstick for every path. */
    private void evaluate(int step, List<EvalRecord> evals, TrainListener listener) {
        if (!evals.isEmpty() && evals.get(evals.size() - 1).step() == step) {
            return;
        }
        double[] fit = fit(test, test.labels(), fused, REFERENCE, LossOptions.DEFAULTS, false);
        EvalRecord e = new EvalRecord(step, fit[0], fit[1]);
        evals.add(e);
        listener.evaluated(id, e);
    }

    /** The run's own path, precision, options and kind of targets on the whole training split, final weights. */
    private double[] trainLossAndAccuracy() {
        return fit(train, trainLabels, path, spec, options, config.targets() == TargetKind.DENSE);
    }

    /** {loss, accuracy} of the model on a whole split under a loss head, with sparse or one-hot dense targets. */
    private double[] fit(Dataset data, int[] labels, LossPath head, PrecisionSpec at, LossOptions with,
            boolean dense) {
        int rows = data.rows();
        int c = data.classCount();
        double[] logits = new double[rows * c];
        model.forward(data.features(), rows, logits);
        Targets targets;
        if (dense) {
            double[] oneHot = new double[rows * c];
            for (int i = 0; i < rows; i++) {
                oneHot[i * c + labels[i]] = 1.0;
            }
            targets = new Targets.Dense(oneHot);
        } else {
            targets = new Targets.Sparse(labels);
        }
        LossResult r = LossResult.withoutProbabilities();
        head.evaluate(new LossInput(logits, rows, c, targets), with, at, r);
        return new double[] {r.loss(), accuracy(logits, labels, rows, c)};
    }

    /**
     * Share of the rows with a class label (padding rows, labelled with the ignore index, are left out) whose largest
     * logit is at the label. A row holding a NaN has no prediction and counts as wrong;
     * ties go to the lowest index.
     */
    static double accuracy(double[] logits, int[] labels, int rows, int classes) {
        int correct = 0;
        int kept = 0;
        for (int i = 0; i < rows; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                continue; // a padding row (its label is the ignore index) has no class to predict
            }
            kept++;
            int best = -1;
            double max = Double.NEGATIVE_INFINITY;
            boolean nan = false;
            for (int j = 0; j < classes; j++) {
                double z = logits[i * classes + j];
                if (Double.isNaN(z)) {
                    nan = true;
                    break;
                }
                if (best < 0 || z > max) {
                    best = j;
                    max = z;
                }
            }
            if (!nan && best == labels[i]) {
                correct++;
            }
        }
        return (double) correct / kept; // 0/0 = NaN when every row is padding
    }

    /**
     * L2 norm of a[0, size); NaN if any entry is NaN, +∞ if any is infinite. Finite entries whose squares overflow
     * (beyond ~1e154) or underflow (below ~1e-146) are summed again scaled by a power of two, so a finite gradient
     * never shows as an infinite (or zero) norm; in the ordinary range the plain sum is kept.
     */
    static double norm(double[] a, int size) {
        double sum = 0;
        double max = 0;
        boolean infinite = false;
        for (int i = 0; i < size; i++) {
            double v = a[i];
            if (Double.isNaN(v)) {
                return Double.NaN;
            }
            infinite |= Double.isInfinite(v);
            max = Math.max(max, Math.abs(v));
            sum += v * v;
        }
        if (infinite) {
            return Double.POSITIVE_INFINITY;
        }
        if (max == 0 || (sum != Double.POSITIVE_INFINITY && sum >= SMALLEST_EXACT_SQUARES)) {
            return Math.sqrt(sum);
        }
        int e = Math.getExponent(max);
        double scaled = 0;
        for (int i = 0; i < size; i++) {
            double v = Math.scalb(a[i], -e);
            scaled += v * v;
        }
        return Math.scalb(Math.sqrt(scaled), e);
    }

    /** Below this sum of squares some squares may have been subnormal or flushed to zero (2^-968 = 2^-1022 · 2^54). */
    private static final double SMALLEST_EXACT_SQUARES = 0x1p-968;

    /**
     * Mean over the rows of log Σ_j exp(z_ij), for logits [rows, classes] first rounded to {@code precision} (what the
     * run's loss head reads), summed in fp64 with the row's max shifted out, so no finite row overflows. A row with a
     * NaN gives NaN; a row with +∞ gives +∞ (never clamped). Allocates nothing (it runs on every step).
     */
    static double meanLse(double[] logits, int rows, int classes, Precision precision) {
        double sum = 0;
        for (int i = 0; i < rows; i++) {
            int o = i * classes;
            double max = Double.NEGATIVE_INFINITY;
            boolean nan = false;
            for (int j = 0; j < classes; j++) {
                double z = precision.round(logits[o + j]);
                nan |= Double.isNaN(z);
                max = Math.max(max, z);
            }
            if (nan) {
                return Double.NaN;
            }
            if (Double.isInfinite(max)) {
                sum += max; // +∞ dominates; a row all -∞ has lse -∞
                continue;
            }
            double s = 0;
            for (int j = 0; j < classes; j++) {
                s += Math.exp(precision.round(logits[o + j]) - max);
            }
            sum += max + Math.log(s);
        }
        return sum / rows;
    }

    /** max |a_i| over a[0, size); NaN if any entry is NaN. */
    static double maxAbs(double[] a, int size) {
        double m = 0;
        for (int i = 0; i < size; i++) {
            double v = Math.abs(a[i]);
            if (Double.isNaN(v)) {
                return Double.NaN;
            }
            m = Math.max(m, v);
        }
        return m;
    }
}
