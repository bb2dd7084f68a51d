package dev.softmaxlab.experiments.audit;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.data.Seeds;
import dev.softmaxlab.experiments.data.SplitMix64;

/**
 * Realistic logits without a model, for trying {@code audit} at once and for tests and docs. Deterministic: the same
 * parameters and seed give the same values on every JVM (SplitMix64, one stream per row, derived from the seed).
 *
 * <p>Row i over a vocabulary of C classes ranked by frequency (class 0 the most frequent):
 * <pre>
 *   y        ~ Zipf(s) over the ranks: P(y = j) ∝ (j + 1)^-s        (the label)
 *   z_j      = -s·ln(j + 1) + noise_j                                 Zipf-like prior plus noise
 *   noise_j  = 2·spread·(u1 + u2 + u3 - 1.5)                          Irwin-Hall, mean 0, sd = spread
 *   z_y     += ln(C) + 4      with probability `confidence`            the label takes most of the mass
 *   z_y     += 2·u            otherwise                                a plausible but unsure label
 *   z_j     /= temperature
 * </pre>
 * Cheap per value (three uniforms, no log or exp), so writing gigabytes takes seconds.
 *
 * @param rows        N
 * @param classes     C
 * @param zipf        s ≥ 0, the exponent of the frequency prior
 * @param confidence  in [0, 1], how often the label gets most of the mass
 * @param temperature &gt; 0, divides every logit
 * @param spread      the noise's standard deviation
 * @param seed        the root seed
 */
public record SyntheticLogits(long rows, int classes, double zipf, double confidence, double temperature,
                              double spread, long seed) {

    public static final double DEFAULT_ZIPF = 1.1;
    public static final double DEFAULT_CONFIDENCE = 0.5;
    public static final double DEFAULT_TEMPERATURE = 1.0;
    public static final double DEFAULT_SPREAD = 1.5;

    public SyntheticLogits {
        if (rows < 1 || classes < 1) {
            throw new InvalidInputException("--shape needs at least 1 row and 1 class");
        }
        if (!(zipf >= 0) || !Double.isFinite(zipf)) {
            throw new InvalidInputException("--zipf " + zipf + ": give an exponent ≥ 0, e.g. 1.1");
        }
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new InvalidInputException("--confidence " + confidence + ": give a fraction in [0, 1]");
        }
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new InvalidInputException("--temperature " + temperature + ": give a temperature > 0, e.g. 1");
        }
        if (!(spread >= 0) || !Double.isFinite(spread)) {
            throw new InvalidInputException("--spread " + spread + ": give a noise level ≥ 0, e.g. 1.5");
        }
    }

    private SplitMix64 rowStream(long row) {
        return new SplitMix64(Seeds.derive(seed, "logits") ^ (row * 0x9E3779B97F4A7C15L));
    }

    /** The label of row i (the first draw of the row's stream). */
    public long label(long row) {
        return drawLabel(rowStream(row));
    }

    private long drawLabel(SplitMix64 r) {
        // inverse CDF of the truncated Zipf by bisection over the continuous bound; exact enough for a label
        double u = r.nextDouble();
        double total = harmonic(classes);
        double target = u * total;
        int lo = 0;
        int hi = classes - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (harmonic(mid + 1) >= target) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** Σ_{k=1..n} k^-s, by the Euler-Maclaurin estimate for large n (only used to place labels). */
    private double harmonic(int n) {
        if (n <= 64) {
            double s = 0;
            for (int k = 1; k <= n; k++) {
                s += Math.pow(k, -zipf);
            }
            return s;
        }
        double head = harmonic(64);
        double a = 64.5;
        double b = n + 0.5;
        double tail = zipf == 1.0 ? Math.log(b / a) : (Math.pow(b, 1 - zipf) - Math.pow(a, 1 - zipf)) / (1 - zipf);
        return head + tail;
    }

    /** Row i's logits into dst[0..C). */
    public void row(long row, double[] dst) {
        SplitMix64 r = rowStream(row);
        long y = drawLabel(r);
        boolean confident = r.nextDouble() < confidence;
        double boost = confident ? Math.log(classes) + 4 : 2 * r.nextDouble();
        double noise = 2 * spread;
        double inv = 1 / temperature;
        for (int j = 0; j < classes; j++) {
            double u = r.nextDouble() + r.nextDouble() + r.nextDouble() - 1.5;
            double z = -zipf * PriorLog.log1(j) + noise * u;
            if (j == y) {
                z += boost;
            }
            dst[j] = z * inv;
        }
    }

    /** ln(j + 1), tabulated for the first ranks (the hot part of a row), Math.log beyond. */
    private static final class PriorLog {
        private static final double[] TABLE = new double[1 << 17];

        static {
            for (int j = 0; j < TABLE.length; j++) {
                TABLE[j] = StrictMath.log(j + 1.0);
            }
        }

        static double log1(int j) {
            return j < TABLE.length ? TABLE[j] : StrictMath.log(j + 1.0);
        }
    }
}
