package dev.softmaxlab.core.numeric;

import dev.softmaxlab.core.precision.Arithmetic;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;

/**
 * {@link Arithmetic} that counts the numeric events of core/NUMERICS.md into a {@link NumericEvents} as it goes.
 *
 * <p>Each operation takes the row and class index it works on, so that the first operation that turns finite operands
 * into a non-finite result can be named ({@link FirstNonFinite}); a per-row operation such as a sum passes class -1.
 * Events are judged in the compute format: exp(-20) underflows in fp16 because its rounded result is 0 there.
 *
 * <p>Cost: the common case is one range test of the result ({@code minNormal ≤ |r| ≤ maxFinite}); only zeros,
 * subnormals and non-finite results go to the classification code.
 */
public final class CountedArithmetic {

    private final Arithmetic arithmetic;
    private final Precision compute;
    private final double minNormal;
    private final double maxFinite;
    private NumericEvents events;

    public CountedArithmetic(PrecisionSpec spec, NumericEvents events) {
        this.arithmetic = new Arithmetic(spec);
        this.compute = spec.compute();
        this.minNormal = compute.minNormal();
        this.maxFinite = compute.maxFinite();
        this.events = events;
    }

    public Arithmetic arithmetic() {
        return arithmetic;
    }

    public Precision compute() {
        return compute;
    }

    public NumericEvents events() {
        return events;
    }

    /** Points the counting at another set of counters (no allocation). */
    public void countInto(NumericEvents target) {
        this.events = target;
    }

    private boolean usual(double r) {
        double a = Math.abs(r);
        return a >= minNormal && a <= maxFinite;
    }

    private static boolean finite(double x) {
        return Math.abs(x) <= Double.MAX_VALUE;
    }

    /** An input value rounded to the compute format (op {@code roundInput}): overflow and subnormals are counted. */
    public double roundInput(double x, int row, int cls) {
        double r = compute.round(x);
        if (!usual(r)) {
            unary("roundInput", x, r, row, cls);
        }
        return r;
    }

    public double add(double a, double b, int row, int cls) {
        double r = arithmetic.add(a, b);
        if (!usual(r)) {
            additive("add", a, b, r, row, cls);
        }
        return r;
    }

    public double sub(double a, double b, int row, int cls) {
        double r = arithmetic.sub(a, b);
        if (!usual(r)) {
            additive("sub", a, -b, r, row, cls);
        }
        return r;
    }

    public double mul(double a, double b, int row, int cls) {
        double r = arithmetic.mul(a, b);
        if (!usual(r)) {
            if ((a == 0.0 && Double.isInfinite(b)) || (b == 0.0 && Double.isInfinite(a))) {
                events.increment(NumericEvent.ZERO_TIMES_INF);
            }
            binary("mul", a, b, r, row, cls);
        }
        return r;
    }

    public double div(double a, double b, int row, int cls) {
        double r = arithmetic.div(a, b);
        if (!usual(r)) {
            if (b == 0.0 && a == a) {
                events.increment(NumericEvent.DIV_BY_ZERO);
            } else if (Double.isInfinite(a) && Double.isInfinite(b)) {
                events.increment(NumericEvent.INF_OVER_INF);
            }
            binary("div", a, b, r, row, cls);
        }
        return r;
    }

    public double exp(double x, int row, int cls) {
        double r = arithmetic.exp(x);
        if (!usual(r)) {
            expEvents("exp", x, r, row, cls);
        }
        return r;
    }

    /**
     * exp(a - b) rounded once to the compute format, with the difference taken more precisely than one rounding:
     * for fp64 the rounding error of a - b is recovered (TwoSum) and applied as exp(d + δ) ≈ exp(d)·(1 + δ); for the
     * narrower formats a - b of two values of the format is exact in double. The fused path's shifted exponential.
     */
    public double expOfDifference(double a, double b, int row, int cls) {
        double r;
        if (compute == Precision.FP64) {
            double d = a - b;
            double bb = d - a;
            double delta = (a - (d - bb)) + (-b - bb);
            double e = StrictMath.exp(d);
            r = delta == delta ? e + e * delta : e; // an infinite d gives a NaN δ, which must not spread
        } else {
            r = arithmetic.exp(a - b);
        }
        if (!usual(r)) {
            double d = a - b;
            if (!finite(d) && finite(a) && finite(b)) {
                events.recordNonFinite("sub", row, cls); // a - b itself overflowed
            }
            expEvents("exp", d, r, row, cls);
        }
        return r;
    }

    public double log(double x, int row, int cls) {
        double r = arithmetic.log(x);
        if (!usual(r)) {
            if (x == 0.0) {
                events.increment(NumericEvent.LOG_OF_ZERO);
            }
            unary("log", x, r, row, cls);
        }
        return r;
    }

    public double log1p(double x, int row, int cls) {
        double r = arithmetic.log1p(x);
        if (!usual(r)) {
            if (x == -1.0) {
                events.increment(NumericEvent.LOG_OF_ZERO);
            }
            unary("log1p", x, r, row, cls);
        }
        return r;
    }

    /**
     * tanh x, computed by {@link StrictMath#tanh} (fdlibm, the same bits everywhere) and rounded once to the compute
     * format. Its result is in [-1, 1], so only a subnormal result is an event here; the soft-cap counts saturation.
     */
    public double tanh(double x, int row, int cls) {
        double r = compute.round(StrictMath.tanh(x));
        if (!usual(r)) {
            unary("tanh", x, r, row, cls);
        }
        return r;
    }

    /**
     * The end of a sum: the value accumulated in the accumulation format, rounded to the compute format (op
     * {@code sum}, class -1 unless given).
     *
     * @param termsFinite whether every term was finite (then a non-finite total is an overflow of the sum itself)
     */
    public double endSum(double accumulated, boolean termsFinite, int row, int cls) {
        double r = compute.round(accumulated);
        if (!usual(r)) {
            if (r != 0.0 && finite(r)) {
                events.increment(NumericEvent.SUBNORMAL);
            } else if (!finite(r) && termsFinite) {
                events.recordNonFinite("sum", row, cls);
            }
        }
        return r;
    }

    /** Σ a[from..to) in the accumulation format, rounded to the compute format; see {@link Arithmetic#sum}. */
    public double sum(double[] a, int from, int to, int row, int cls) {
        double r = arithmetic.sum(a, from, to);
        if (!usual(r)) {
            endSum(r, allFinite(a, from, to, -1), row, cls);
        }
        return r;
    }

    /** Σ_{i≠skip} a[from..to), compensated; see {@link Arithmetic#compensatedSum}. */
    public double compensatedSum(double[] a, int from, int to, int skip, int row, int cls) {
        double r = arithmetic.compensatedSum(a, from, to, skip);
        if (!usual(r)) {
            endSum(r, allFinite(a, from, to, skip), row, cls);
        }
        return r;
    }

    private static boolean allFinite(double[] a, int from, int to, int skip) {
        for (int i = from; i < to; i++) {
            if (i != skip && !finite(a[i])) {
                return false;
            }
        }
        return true;
    }

    private void expEvents(String op, double x, double r, int row, int cls) {
        if (finite(x)) {
            if (r == Double.POSITIVE_INFINITY) {
                events.increment(NumericEvent.EXP_OVERFLOW);
                events.recordNonFinite(op, row, cls);
            } else if (r == 0.0) {
                events.increment(NumericEvent.EXP_UNDERFLOW);
            } else if (r == r) {
                events.increment(NumericEvent.SUBNORMAL);
            }
        }
    }

    private void unary(String op, double x, double r, int row, int cls) {
        if (finite(r)) {
            if (r != 0.0) {
                events.increment(NumericEvent.SUBNORMAL);
            }
        } else if (finite(x)) {
            events.recordNonFinite(op, row, cls);
        }
    }

    private void binary(String op, double a, double b, double r, int row, int cls) {
        if (finite(r)) {
            if (r != 0.0) {
                events.increment(NumericEvent.SUBNORMAL);
            }
        } else if (finite(a) && finite(b)) {
            events.recordNonFinite(op, row, cls);
        }
    }

    /** a + b where b already carries the sign of a subtraction. */
    private void additive(String op, double a, double b, double r, int row, int cls) {
        if (Double.isInfinite(a) && Double.isInfinite(b) && (a > 0) != (b > 0)) {
            events.increment(NumericEvent.INF_MINUS_INF);
        }
        binary(op, a, b, r, row, cls);
    }
}
