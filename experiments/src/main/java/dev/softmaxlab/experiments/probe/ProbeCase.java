package dev.softmaxlab.experiments.probe;

import com.fasterxml.jackson.databind.node.ValueNode;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.core.loss.LossInput;
import dev.softmaxlab.core.loss.LossOptions;
import dev.softmaxlab.core.loss.Targets;

/**
 * One probe case: a single row of C logits and its target, a sparse label or a dense distribution. Built only through
 * {@link #sparse} and {@link #dense}, which check it and say in one line what is wrong and how to fix it.
 *
 * @param index   the case's position in the input, from 0 (blank lines do not count)
 * @param logits  [C], C ≥ 1; may hold NaN and ±Infinity (showing what they do is the point)
 * @param label   the class index in [0, C) or the ignore index, or -1 for a dense target (see {@link #isSparse})
 * @param target  [C], t_j ≥ 0 and Σ t_j = 1 within {@link #TARGET_SUM_TOLERANCE}; null for a sparse label
 * @param id      the input's own "id" for the case (any JSON scalar), carried to the output as given; null when
 *                there is none
 */
public record ProbeCase(int index, double[] logits, int label, double[] target, ValueNode id) {

    /** core/NUMERICS.md: a dense target sums to 1 within 1e-6. */
    public static final double TARGET_SUM_TOLERANCE = 1e-6;

    /**
     * How the fields are named in messages, and where the case came from.
     *
     * @param prefix  e.g. "" for the command line, "--input cases.jsonl line 7: " for a file
     * @param logits  the logits field's name, e.g. "--logits" or "logits"
     * @param label   the label field's name
     * @param target  the target field's name
     * @param ignoreIndex a label that marks a row left out (the loss head's ignore index), accepted besides 0..C-1
     */
    public record Fields(String prefix, String logits, String label, String target, int ignoreIndex) {
        /** Fields with the default ignore index. */
        public Fields(String prefix, String logits, String label, String target) {
            this(prefix, logits, label, target, LossOptions.DEFAULTS.ignoreIndex());
        }

        /** Fields of a JSON Lines case at a line of a source. */
        public static Fields jsonLine(String source, long line) {
            return jsonLine(source, line, LossOptions.DEFAULTS.ignoreIndex());
        }

        /** Fields of a JSON Lines case at a line of a source, with the run's ignore index. */
        public static Fields jsonLine(String source, long line, int ignoreIndex) {
            return new Fields(source + " line " + line + ": ", "\"logits\"", "\"label\"", "\"target\"",
                    ignoreIndex);
        }

        InvalidInputException error(String message) {
            return new InvalidInputException(prefix + message);
        }
    }

    /** This case carrying the input's {@code id} (null for none). */
    public ProbeCase withId(ValueNode newId) {
        return new ProbeCase(index, logits, label, target, newId);
    }

    public int classes() {
        return logits.length;
    }

    public boolean isSparse() {
        return target == null;
    }

    /** The core input for this case: a batch of one row. */
    public LossInput toLossInput() {
        Targets t = isSparse() ? new Targets.Sparse(new int[] {label}) : new Targets.Dense(target);
        return new LossInput(logits, 1, logits.length, t);
    }

    /** A case with a sparse label; throws {@link InvalidInputException} naming the field and the fix. */
    public static ProbeCase sparse(int index, double[] logits, int label, Fields f) {
        requireLogits(logits, f);
        if ((label < 0 || label >= logits.length) && label != f.ignoreIndex()) {
            throw f.error(f.label() + " " + label + " is out of range for " + logits.length + " classes: give a class index in 0.."
                    + (logits.length - 1) + ", or the ignore index " + f.ignoreIndex() + " to leave the row out");
        }
        return new ProbeCase(index, logits, label, null, null);
    }

    /** A case with a dense target; throws {@link InvalidInputException} naming the field and the fix. */
    public static ProbeCase dense(int index, double[] logits, double[] target, Fields f) {
        requireLogits(logits, f);
        if (target.length != logits.length) {
            throw f.error(f.target() + " has " + target.length + " values but " + f.logits() + " has " + logits.length
                    + ": give one target value per logit");
        }
        double sum = 0;
        for (int j = 0; j < target.length; j++) {
            double t = target[j];
            if (!Double.isFinite(t) || t < 0) {
                throw f.error(f.target() + " value " + t + " at class " + j
                        + " is not a probability: give finite values ≥ 0 that sum to 1");
            }
            sum += t;
        }
        if (Math.abs(sum - 1.0) > TARGET_SUM_TOLERANCE) {
            throw f.error(f.target() + " sums to " + sum + ", not 1: give a distribution that sums to 1 (within "
                    + TARGET_SUM_TOLERANCE + "), or use a label for a single class");
        }
        return new ProbeCase(index, logits, -1, target, null);
    }

    private static void requireLogits(double[] logits, Fields f) {
        if (logits.length == 0) {
            throw f.error(f.logits() + " is empty: give at least one logit, e.g. 2.0,1.0,0.1");
        }
    }
}
