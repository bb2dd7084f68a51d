package dev.softmaxlab.core.numeric;

/**
 * Mutable counters of one or more evaluations: operation events, non-finite values in the loss and in the gradient,
 * and the first operation that went non-finite. Reused across evaluations ({@link #reset()}), so counting allocates
 * nothing.
 */
public final class NumericEvents {

    /** Counts of each {@link NumericEvent}, by ordinal. */
    public long count(NumericEvent event) {
        throw new UnsupportedOperationException("TODO");
    }

    public void add(NumericEvent event, long n) {
        throw new UnsupportedOperationException("TODO");
    }

    public long lossNan() { throw new UnsupportedOperationException("TODO"); }

    public long lossPosInf() { throw new UnsupportedOperationException("TODO"); }

    public long lossNegInf() { throw new UnsupportedOperationException("TODO"); }

    public long gradientNan() { throw new UnsupportedOperationException("TODO"); }

    public long gradientPosInf() { throw new UnsupportedOperationException("TODO"); }

    public long gradientNegInf() { throw new UnsupportedOperationException("TODO"); }

    /** nan + posInf + negInf over the loss and the gradient. */
    public long totalNonFinite() { throw new UnsupportedOperationException("TODO"); }

    /** Null when every operation stayed finite. */
    public FirstNonFinite firstNonFinite() { throw new UnsupportedOperationException("TODO"); }

    /** Adds other's counts to these; keeps this firstNonFinite if set, else takes other's. */
    public void merge(NumericEvents other) { throw new UnsupportedOperationException("TODO"); }

    public void reset() { throw new UnsupportedOperationException("TODO"); }

    public NumericEvents copy() { throw new UnsupportedOperationException("TODO"); }
}
