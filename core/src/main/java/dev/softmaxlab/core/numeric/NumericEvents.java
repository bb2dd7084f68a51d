package dev.softmaxlab.core.numeric;

import java.util.Arrays;

/**
 * Mutable counters of one or more evaluations: operation events, non-finite values in the loss and in the gradient,
 * and the first operation that went non-finite. Reused across evaluations ({@link #reset()}), so counting allocates
 * nothing (except the one {@link FirstNonFinite} record of an evaluation that goes non-finite).
 */
public final class NumericEvents {

    private static final NumericEvent[] EVENTS = NumericEvent.values();

    private final long[] counts = new long[EVENTS.length];
    private long lossNan;
    private long lossPosInf;
    private long lossNegInf;
    private long gradientNan;
    private long gradientPosInf;
    private long gradientNegInf;
    private FirstNonFinite firstNonFinite;

    /** Counts of each {@link NumericEvent}, by ordinal. */
    public long count(NumericEvent event) {
        return counts[event.ordinal()];
    }

    public void add(NumericEvent event, long n) {
        counts[event.ordinal()] += n;
    }

    /** Adds one to the event's count. */
    public void increment(NumericEvent event) {
        counts[event.ordinal()]++;
    }

    public long lossNan() {
        return lossNan;
    }

    public long lossPosInf() {
        return lossPosInf;
    }

    public long lossNegInf() {
        return lossNegInf;
    }

    public long gradientNan() {
        return gradientNan;
    }

    public long gradientPosInf() {
        return gradientPosInf;
    }

    public long gradientNegInf() {
        return gradientNegInf;
    }

    /** nan + posInf + negInf over the loss and the gradient. */
    public long totalNonFinite() {
        return lossNan + lossPosInf + lossNegInf + gradientNan + gradientPosInf + gradientNegInf;
    }

    /** The sum of all operation-event counts. */
    public long totalOperationEvents() {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return total;
    }

    /** Null when every operation stayed finite. */
    public FirstNonFinite firstNonFinite() {
        return firstNonFinite;
    }

    /** Records the op as the first non-finite one unless one is already recorded. */
    public void recordNonFinite(String op, int row, int classIndex) {
        if (firstNonFinite == null) {
            firstNonFinite = new FirstNonFinite(op, row, classIndex);
        }
    }

    /** Counts the non-finite values among loss values values[from..to). */
    public void countLoss(double[] values, int from, int to) {
        for (int i = from; i < to; i++) {
            double v = values[i];
            if (!(Math.abs(v) <= Double.MAX_VALUE)) {
                if (v != v) {
                    lossNan++;
                } else if (v > 0) {
                    lossPosInf++;
                } else {
                    lossNegInf++;
                }
            }
        }
    }

    /** Counts one loss value if it is non-finite (e.g. a reduced loss that overflowed though no row loss did). */
    public void countLoss(double value) {
        if (value != value) {
            lossNan++;
        } else if (value == Double.POSITIVE_INFINITY) {
            lossPosInf++;
        } else if (value == Double.NEGATIVE_INFINITY) {
            lossNegInf++;
        }
    }

    /** Counts the non-finite values among gradient values values[from..to). */
    public void countGradient(double[] values, int from, int to) {
        for (int i = from; i < to; i++) {
            double v = values[i];
            if (!(Math.abs(v) <= Double.MAX_VALUE)) {
                if (v != v) {
                    gradientNan++;
                } else if (v > 0) {
                    gradientPosInf++;
                } else {
                    gradientNegInf++;
                }
            }
        }
    }

    /** Adds other's counts to these; keeps this firstNonFinite if set, else takes other's. */
    public void merge(NumericEvents other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        lossNan += other.lossNan;
        lossPosInf += other.lossPosInf;
        lossNegInf += other.lossNegInf;
        gradientNan += other.gradientNan;
        gradientPosInf += other.gradientPosInf;
        gradientNegInf += other.gradientNegInf;
        if (firstNonFinite == null) {
            firstNonFinite = other.firstNonFinite;
        }
    }

    public void reset() {
        Arrays.fill(counts, 0);
        lossNan = 0;
        lossPosInf = 0;
        lossNegInf = 0;
        gradientNan = 0;
        gradientPosInf = 0;
        gradientNegInf = 0;
        firstNonFinite = null;
    }

    public NumericEvents copy() {
        NumericEvents c = new NumericEvents();
        c.merge(this);
        return c;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("NumericEvents{");
        for (NumericEvent e : EVENTS) {
            if (counts[e.ordinal()] != 0) {
                b.append(e.id()).append('=').append(counts[e.ordinal()]).append(", ");
            }
        }
        b.append("lossNan=").append(lossNan).append(", lossPosInf=").append(lossPosInf)
                .append(", lossNegInf=").append(lossNegInf).append(", gradientNan=").append(gradientNan)
                .append(", gradientPosInf=").append(gradientPosInf).append(", gradientNegInf=").append(gradientNegInf)
                .append(", firstNonFinite=").append(firstNonFinite).append('}');
        return b.toString();
    }
}
