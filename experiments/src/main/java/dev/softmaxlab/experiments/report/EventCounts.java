package dev.softmaxlab.experiments.report;

import dev.softmaxlab.core.numeric.NumericEvent;
import dev.softmaxlab.core.numeric.NumericEvents;

/**
 * The JSON form of {@link NumericEvents}: every operation event by its core/NUMERICS.md id, and the non-finite values in
 * the loss and in the gradient. The same layout in every document (probe, report, summary).
 */
public record EventCounts(long expOverflow, long expUnderflow, long subnormal, long logOfZero, long divByZero,
                          long infOverInf, long zeroTimesInf, long infMinusInf, long clipped, long saturated,
                          NonFiniteCounts loss, NonFiniteCounts gradient) {

    /** Counts of non-finite values. */
    public record NonFiniteCounts(long nan, long posInf, long negInf) {
        public long total() {
            return nan + posInf + negInf;
        }
    }

    public static EventCounts of(NumericEvents e) {
        return new EventCounts(e.count(NumericEvent.EXP_OVERFLOW), e.count(NumericEvent.EXP_UNDERFLOW),
                e.count(NumericEvent.SUBNORMAL), e.count(NumericEvent.LOG_OF_ZERO), e.count(NumericEvent.DIV_BY_ZERO),
                e.count(NumericEvent.INF_OVER_INF), e.count(NumericEvent.ZERO_TIMES_INF),
                e.count(NumericEvent.INF_MINUS_INF), e.count(NumericEvent.CLIPPED), e.count(NumericEvent.SATURATED),
                new NonFiniteCounts(e.lossNan(), e.lossPosInf(), e.lossNegInf()),
                new NonFiniteCounts(e.gradientNan(), e.gradientPosInf(), e.gradientNegInf()));
    }

    /** Non-finite values in the loss and the gradient together. */
    public long totalNonFinite() {
        return loss.total() + gradient.total();
    }
}
