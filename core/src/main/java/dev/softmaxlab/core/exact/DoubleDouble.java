package dev.softmaxlab.core.exact;

import dev.softmaxlab.core.precision.Precision;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * An unevaluated sum hi + lo of two doubles with |lo| ≤ ulp(hi)/2: about 106 significand bits. Immutable.
 *
 * <p>The building blocks are the error-free transformations TwoSum (a + b = s + e exactly) and TwoProd via fused
 * multiply-add (a·b = p + e exactly). On them sit add, mul and div with a relative error of a few 2^-106, and exp,
 * log and log1p accurate to about 2^-100 (tested against constants computed with mpmath). Overflow and underflow
 * follow double's range: the low part of a result near the subnormal range loses its bits, which is far below any
 * error this project measures.
 *
 * <p>Only finite values are meaningful; a non-finite hi propagates as it would in double (lo becomes NaN).
 */
public final class DoubleDouble implements Comparable<DoubleDouble> {

    public static final DoubleDouble ZERO = new DoubleDouble(0.0, 0.0);
    public static final DoubleDouble ONE = new DoubleDouble(1.0, 0.0);

    private static final MathContext MC40 = new MathContext(40, RoundingMode.HALF_EVEN);
    /** ln 2 to 40 digits, from the series 2·atanh(1/3) at class init. */
    private static final BigDecimal LN2 = ln2(MC40);
    private static final DoubleDouble LN2_DD = fromBigDecimal(LN2);
    /**
     * ln2/1024 as three doubles c1 + c2 + c3: c1 keeps 32 significant bits, so that n·c1 is exact for |n| &lt; 2^21
     * (every n the range reduction meets), and x - n·c1 is then exact too (Sterbenz); c2 and c3 carry the rest.
     */
    private static final double LN2_1024_1;
    private static final double LN2_1024_2;
    private static final double LN2_1024_3;
    /** 2^(j/1024), j = 0..1023, as double-doubles (16 KiB: small enough to stay in the L1 cache beside a row). */
    private static final double[] TABLE_HI = new double[1024];
    private static final double[] TABLE_LO = new double[1024];
    /** 1/6 as a double-double (the only Taylor coefficient of e^r that needs more than a double, see exp). */
    private static final double SIXTH_HI;
    private static final double SIXTH_LO;

    static {
        MathContext mc = new MathContext(45, RoundingMode.HALF_EVEN);
        BigDecimal step = LN2.divide(BigDecimal.valueOf(1024), MC40);
        long bits = Double.doubleToRawLongBits(step.doubleValue()) & ~((1L << 21) - 1); // 52 - 21 = 31 fraction bits
        LN2_1024_1 = Double.longBitsToDouble(bits);
        BigDecimal r1 = step.subtract(new BigDecimal(LN2_1024_1));
        LN2_1024_2 = r1.doubleValue();
        LN2_1024_3 = r1.subtract(new BigDecimal(LN2_1024_2)).doubleValue();
        // 2^(j/1024) as successive products of 2^(1/1024) at 45 digits: 1024 roundings of 1e-45 stay far below the
        // 2^-106 (1e-32) a double-double holds
        BigDecimal root = expSeries(step, mc);
        BigDecimal t = BigDecimal.ONE;
        for (int j = 0; j < 1024; j++) {
            DoubleDouble dd = fromBigDecimal(t);
            TABLE_HI[j] = dd.hi;
            TABLE_LO[j] = dd.lo;
            t = t.multiply(root, mc);
        }
        DoubleDouble sixth = fromBigDecimal(BigDecimal.ONE.divide(BigDecimal.valueOf(6), MC40));
        SIXTH_HI = sixth.hi;
        SIXTH_LO = sixth.lo;
    }

    private final double hi;
    private final double lo;

    private DoubleDouble(double hi, double lo) {
        this.hi = hi;
        this.lo = lo;
    }

    /** The double x, exactly. */
    public static DoubleDouble of(double x) {
        return new DoubleDouble(x, 0.0);
    }

    /** hi + lo, normalized; exact. */
    public static DoubleDouble of(double hi, double lo) {
        return twoSum(hi, lo);
    }

    /** The nearest double-double to x (hi is x rounded to double, lo the rest rounded). */
    public static DoubleDouble fromBigDecimal(BigDecimal x) {
        double h = x.doubleValue();
        double l = x.subtract(new BigDecimal(h)).doubleValue();
        return new DoubleDouble(h, l);
    }

    /** The exact value hi + lo (finite values only). */
    public BigDecimal toBigDecimal() {
        return new BigDecimal(hi).add(new BigDecimal(lo));
    }

    public double hi() {
        return hi;
    }

    public double lo() {
        return lo;
    }

    /** The value rounded once to double: hi, since |lo| ≤ ulp(hi)/2 (ties broken by lo's sign in the normalization). */
    public double doubleValue() {
        return hi;
    }

    /**
     * The value rounded once to a precision, to nearest, ties to even: rounding hi alone would round twice when hi
     * sits exactly half-way between two values of the narrower format, so lo breaks that tie.
     */
    public double round(Precision precision) {
        double r = precision.round(hi);
        if (lo == 0.0 || precision == Precision.FP64 || r != r) {
            return r;
        }
        // the format's midpoints are doubles, and hi + lo lies strictly between hi and its neighbour toward lo:
        // only when hi itself is a midpoint does lo decide, and then the neighbour rounds the right way
        return isMidpoint(hi, r, precision) ? precision.round(lo > 0 ? Math.nextUp(hi) : Math.nextDown(hi)) : r;
    }

    /** m is half-way between two adjacent values of the format: not one itself, and its mirror image across r is. */
    private static boolean isMidpoint(double m, double r, Precision precision) {
        if (r == m) {
            return false;
        }
        double other = 2 * m - r;
        return precision.round(other) == other;
    }

    public boolean isFinite() {
        return Double.isFinite(hi);
    }

    public int signum() {
        return hi > 0 ? 1 : hi < 0 ? -1 : 0;
    }

    // ---- error-free transformations

    /** a + b = s + e exactly (Knuth's TwoSum, no branch). */
    static DoubleDouble twoSum(double a, double b) {
        double s = a + b;
        double bb = s - a;
        double e = (a - (s - bb)) + (b - bb);
        return new DoubleDouble(s, e);
    }

    /** a + b = s + e exactly, given |a| ≥ |b| (or a = 0). */
    private static DoubleDouble quickTwoSum(double a, double b) {
        double s = a + b;
        return new DoubleDouble(s, b - (s - a));
    }

    /** a · b = p + e exactly (barring underflow), through fused multiply-add. */
    static DoubleDouble twoProd(double a, double b) {
        double p = a * b;
        return new DoubleDouble(p, Math.fma(a, b, -p));
    }

    // ---- arithmetic

    public DoubleDouble negate() {
        return new DoubleDouble(-hi, -lo);
    }

    /** this + b, with the accurate (IEEE-style) two-level sum: relative error a few 2^-106 even under cancellation. */
    public DoubleDouble add(DoubleDouble b) {
        DoubleDouble s = twoSum(hi, b.hi);
        DoubleDouble t = twoSum(lo, b.lo);
        if (!Double.isFinite(s.hi)) {
            return new DoubleDouble(s.hi, 0.0);
        }
        double e = s.lo + t.hi;
        DoubleDouble u = quickTwoSum(s.hi, e);
        return quickTwoSum(u.hi, u.lo + t.lo);
    }

    public DoubleDouble add(double b) {
        DoubleDouble s = twoSum(hi, b);
        if (!Double.isFinite(s.hi)) {
            return new DoubleDouble(s.hi, 0.0);
        }
        return quickTwoSum(s.hi, s.lo + lo);
    }

    public DoubleDouble sub(DoubleDouble b) {
        return add(b.negate());
    }

    public DoubleDouble mul(DoubleDouble b) {
        DoubleDouble p = twoProd(hi, b.hi);
        if (!Double.isFinite(p.hi)) {
            return new DoubleDouble(p.hi, 0.0);
        }
        return quickTwoSum(p.hi, p.lo + (hi * b.lo + lo * b.hi));
    }

    public DoubleDouble mul(double b) {
        DoubleDouble p = twoProd(hi, b);
        if (!Double.isFinite(p.hi)) {
            return new DoubleDouble(p.hi, 0.0);
        }
        return quickTwoSum(p.hi, p.lo + lo * b);
    }

    /** this / b: three quotient digits, each corrected against the remainder. */
    public DoubleDouble div(DoubleDouble b) {
        double q1 = hi / b.hi;
        if (!Double.isFinite(q1) || q1 == 0.0) {
            return new DoubleDouble(q1, 0.0);
        }
        DoubleDouble r = sub(b.mul(q1));
        double q2 = r.hi / b.hi;
        r = r.sub(b.mul(q2));
        double q3 = r.hi / b.hi;
        return quickTwoSum(q1, q2).add(q3);
    }

    public DoubleDouble div(double b) {
        return div(of(b));
    }

    @Override
    public int compareTo(DoubleDouble o) {
        int c = Double.compare(hi, o.hi);
        return c != 0 ? c : Double.compare(lo, o.lo);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DoubleDouble d && Double.compare(hi, d.hi) == 0 && Double.compare(lo, d.lo) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(hi) * 31 + Double.hashCode(lo);
    }

    @Override
    public String toString() {
        return isFinite() ? toBigDecimal().round(new MathContext(34)).toString() : Double.toString(hi);
    }

    // ---- elementary functions

    /**
     * e^x. x = n·(ln2/1024) + r with |r| ≤ ln2/2048 &lt; 2^-11.5; e^x = 2^(n div 1024) · 2^((n mod 1024)/1024) · e^r,
     * the table entry a double-double computed at class init and e^r a degree-8 Taylor polynomial (the next term,
     * r^9/9!, is below 2^-120). Relative error below 2^-100 (tested against BigDecimal).
     */
    public DoubleDouble exp() {
        double[] out = new double[2];
        exp(hi, lo, out, 0, out, 1);
        return new DoubleDouble(out[0], out[1]);
    }

    /**
     * e^(xh + xl) written to hiOut[hiAt] and loOut[loAt], without allocating: the hot loop of
     * {@link ExactCrossEntropy}, one call per logit, so it is written for a short chain of dependent operations.
     * With e^r = 1 + r + r²·Q, Q = 1/2 + r/6 + A, A = r²·(1/24 + r/120 + r²/720 + r³/5040 + r⁴/40320):
     * <pre>
     *   r, r²         double-double (r to about 2^-115 absolute, r² to 2^-104 relative)
     *   A ≈ 2^-27.6   double: its 2^-52 relative error is 2^-80 absolute, times r² ≤ 2^-23 gives 2^-103
     *   r/6 ≈ 2^-14   double-double (1/6 is not a double, and a double r/6 would cost 2^-67 · r² = 2^-90)
     *   Q, r²·Q       double-double; then 1 + r + r²·Q, times the table entry, times 2^k
     * </pre>
     */
    static void exp(double xh, double xl, double[] hiOut, int hiAt, double[] loOut, int loAt) {
        if (xh != xh) {
            hiOut[hiAt] = Double.NaN;
            loOut[loAt] = Double.NaN;
            return;
        }
        if (xh > 709.8 || xh < -745.2) {
            hiOut[hiAt] = xh > 0 ? Double.POSITIVE_INFINITY : 0.0;
            loOut[loAt] = 0.0;
            return;
        }
        double n = Math.rint(xh * (1024 / 0.6931471805599453)); // |n| < 2^21
        // r = xh + xl - n·c1 - n·c2 - n·c3: xh - n·c1 exact, n·c2 exact as p2 + p2e (TwoProd), then two TwoSums
        // (xl may be as large as 2^-44 and must keep its own digits), n·c3 below 2^-73
        double s1 = xh - n * LN2_1024_1;
        double p2 = n * LN2_1024_2;
        double p2e = Math.fma(n, LN2_1024_2, -p2);
        double t = s1 - p2;
        double tv = t - s1;
        double te = (s1 - (t - tv)) + (-p2 - tv);
        double u = t + xl;
        double uv = u - t;
        double ue = (t - (u - uv)) + (xl - uv);
        double re = (te + ue) - (p2e + n * LN2_1024_3);
        double rh = u + re;
        double rl = re - (rh - u);
        // r² as a double-double
        double r2h = rh * rh;
        double r2l = Math.fma(rh, rh, -r2h) + 2 * rh * rl;
        // A in double (Estrin-style, so the chain stays short)
        double a = r2h * ((1.0 / 24 + rh * (1.0 / 120)) + r2h * ((1.0 / 720 + rh * (1.0 / 5040)) + r2h * (1.0 / 40320)));
        // r/6 as a double-double, then Q = 1/2 + r/6 + A (|r/6| < 2^-14, so 1/2 + r/6 is a fast two-sum)
        double d6 = rh * SIXTH_HI;
        double d6e = Math.fma(rh, SIXTH_HI, -d6) + (rh * SIXTH_LO + rl * SIXTH_HI);
        double qh = 0.5 + d6;
        double ql = (d6 - (qh - 0.5)) + (d6e + a);
        // S = r²·Q
        double sh = r2h * qh;
        double sl = Math.fma(r2h, qh, -sh) + (r2h * ql + r2l * qh);
        // 1 + r + S: |r| < 2^-11.5 and |S| < 2^-23, so the sums ordered by magnitude are fast two-sums
        double ah = rh + sh;
        double al = (sh - (ah - rh)) + (rl + sl);
        double bh = 1.0 + ah;
        double bl = (ah - (bh - 1.0)) + al;
        double ph = bh + bl;
        double pl = bl - (ph - bh);
        // times 2^(j/1024) (double-double table)
        int ni = (int) n;
        int j = ni & 1023;
        int k = ni >> 10;
        double th = TABLE_HI[j];
        double vh = ph * th;
        double vl = Math.fma(ph, th, -vh) + (ph * TABLE_LO[j] + pl * th);
        double zh = vh + vl;
        double zl = vl - (zh - vh);
        // times 2^k: one product while 2^k is a normal double (exact, or one rounding into the subnormal range, as
        // Math.scalb does); scalb at the two ends, where 2^k itself is not a normal double
        if (k >= Double.MIN_EXPONENT && k <= Double.MAX_EXPONENT) {
            double scale = Double.longBitsToDouble((long) (k + 1023) << 52);
            hiOut[hiAt] = zh * scale;
            loOut[loAt] = zl * scale;
        } else {
            hiOut[hiAt] = Math.scalb(zh, k);
            loOut[loAt] = Math.scalb(zl, k);
        }
    }

    /**
     * ln(1 + x) for x &gt; -1. Small |x| (&lt; 2^-6): the alternating series in double-double, which keeps a tiny x's
     * relative precision. Otherwise one Newton step y + (1 + x)·e^-y - 1 from y = Math.log1p(x), which squares the
     * double's relative error (2^-53 → below 2^-100).
     */
    public DoubleDouble log1p() {
        if (!(hi > -1.0) || !Double.isFinite(hi)) {
            return new DoubleDouble(hi == -1.0 && lo == 0.0 ? Double.NEGATIVE_INFINITY
                    : hi == Double.POSITIVE_INFINITY ? hi : Double.NaN, 0.0);
        }
        if (Math.abs(hi) < 0x1p-6) {
            DoubleDouble sum = ZERO;
            DoubleDouble power = this;
            for (int k = 1; k <= 40; k++) {
                DoubleDouble term = power.div((double) k);
                sum = (k & 1) == 1 ? sum.add(term) : sum.sub(term);
                if (Math.abs(term.hi) <= Math.abs(sum.hi) * 0x1p-110) {
                    break;
                }
                power = power.mul(this);
            }
            return sum;
        }
        if (hi > 0x1p52) {
            return add(1.0).log(); // 1 + x is exact enough here, and log scales it into range
        }
        double y = Math.log1p(hi + lo);
        DoubleDouble onePlusX = add(1.0);
        return onePlusX.mul(of(-y).exp()).add(-1.0).add(y);
    }

    /** ln x for x &gt; 0: one Newton step y + x·e^-y - 1 from y = Math.log(x). */
    public DoubleDouble log() {
        if (!(hi > 0.0) || !Double.isFinite(hi)) {
            return new DoubleDouble(hi == 0.0 ? Double.NEGATIVE_INFINITY
                    : hi == Double.POSITIVE_INFINITY ? hi : Double.NaN, 0.0);
        }
        int k = Math.getExponent(hi);
        if (Math.abs(k) > 256) {
            // far from 1, e^-y would lose its low part to the subnormal range: ln x = ln(x·2^-k) + k·ln 2
            DoubleDouble scaled = new DoubleDouble(Math.scalb(hi, -k), Math.scalb(lo, -k));
            return scaled.log().add(LN2_DD.mul((double) k));
        }
        double y = Math.log(hi);
        return mul(of(-y).exp()).add(-1.0).add(y);
    }

    // ---- class-init helpers in BigDecimal (not used on any hot path)

    /** ln 2 = 2·Σ_k 1/((2k+1)·3^(2k+1)). */
    private static BigDecimal ln2(MathContext mc) {
        BigDecimal third = BigDecimal.ONE.divide(BigDecimal.valueOf(3), mc);
        BigDecimal ninth = BigDecimal.ONE.divide(BigDecimal.valueOf(9), mc);
        BigDecimal power = third;
        BigDecimal sum = BigDecimal.ZERO;
        for (int k = 0; k < 200; k++) {
            BigDecimal term = power.divide(BigDecimal.valueOf(2L * k + 1), mc);
            sum = sum.add(term, mc);
            if (term.compareTo(new BigDecimal("1e-45")) < 0) {
                break;
            }
            power = power.multiply(ninth, mc);
        }
        return sum.multiply(BigDecimal.valueOf(2), mc);
    }

    /** e^x by its Taylor series, for 0 ≤ x &lt; 1. */
    private static BigDecimal expSeries(BigDecimal x, MathContext mc) {
        BigDecimal sum = BigDecimal.ONE;
        BigDecimal term = BigDecimal.ONE;
        for (int k = 1; k < 200; k++) {
            term = term.multiply(x, mc).divide(BigDecimal.valueOf(k), mc);
            sum = sum.add(term, mc);
            if (term.compareTo(new BigDecimal("1e-45")) < 0) {
                break;
            }
        }
        return sum;
    }
}
