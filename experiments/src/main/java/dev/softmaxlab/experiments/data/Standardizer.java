package dev.softmaxlab.experiments.data;

/**
 * Z-scores features with statistics fitted on one dataset (the training part) and applies them to any dataset with
 * the same columns (train and test alike, so no test information leaks into training).
 *
 * <p>Per column j: mean μ_j = Σ x_ij / N and population standard deviation σ_j = sqrt(Σ (x_ij − μ_j)² / N), two-pass;
 * a value maps to (x − μ_j) / σ_j. A column whose fitted values are all equal (σ_j = 0) maps every value to 0, and
 * never divides by zero.
 *
 * @param mean  μ [featureCount]
 * @param std   σ [featureCount], 0 for a constant column
 */
public record Standardizer(double[] mean, double[] std) {

    /** Fits on {@code data}, not modified. */
    public static Standardizer fit(Dataset data) {
        int n = data.rows();
        int d = data.featureCount();
        double[] x = data.features(); // x is [N, D]
        double[] mean = new double[d];
        double[] std = new double[d];
        for (int j = 0; j < d; j++) {
            double sum = 0;
            boolean constant = true;
            for (int i = 0; i < n; i++) {
                sum += x[i * d + j];
                constant &= x[i * d + j] == x[j];
            }
            double mu = n == 0 ? 0 : sum / n;
            double squares = 0;
            for (int i = 0; i < n; i++) {
                double c = x[i * d + j] - mu;
                squares += c * c;
            }
            double sigma = Math.sqrt(squares / n);
            if (!Double.isFinite(mu) || !Double.isFinite(sigma)) {
                // finite values beyond ~1e154 overflow σ² (beyond ~1e308/N the sum): redo the column scaled by a
                // power of two, exact, so a huge column is neither zeroed (σ = ∞) nor turned NaN (μ = ∞)
                int e = maxExponent(x, n, d, j);
                double ms = 0;
                for (int i = 0; i < n; i++) {
                    ms += Math.scalb(x[i * d + j], -e);
                }
                ms /= n;
                double ss = 0;
                for (int i = 0; i < n; i++) {
                    double c = Math.scalb(x[i * d + j], -e) - ms;
                    ss += c * c;
                }
                mu = Math.scalb(ms, e);
                sigma = Math.scalb(Math.sqrt(ss / n), e);
            }
            mean[j] = mu;
            // An exactly constant column can still get a tiny nonzero σ from rounding in μ; test equality instead.
            std[j] = constant ? 0 : sigma;
        }
        return new Standardizer(mean, std);
    }

    /** The binary exponent of the largest |x| in column j of x [N, D]. */
    private static int maxExponent(double[] x, int n, int d, int j) {
        double max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, Math.abs(x[i * d + j]));
        }
        return Math.getExponent(max);
    }

    /** A new dataset with standardized features; {@code data} is not modified. */
    public Dataset apply(Dataset data) {
        int d = data.featureCount();
        if (d != mean.length) {
            throw new IllegalArgumentException("fitted on " + mean.length + " features, given " + d);
        }
        double[] x = data.features();
        double[] z = new double[x.length];
        for (int i = 0; i < data.rows(); i++) {
            for (int j = 0; j < d; j++) {
                double diff = x[i * d + j] - mean[j];
                if (std[j] == 0) {
                    z[i * d + j] = 0;
                } else if (Double.isFinite(diff)) {
                    z[i * d + j] = diff / std[j];
                } else {
                    // x and μ huge with opposite signs: x − μ overflows though the z-score is small
                    z[i * d + j] = x[i * d + j] / std[j] - mean[j] / std[j];
                }
            }
        }
        return new Dataset(data.name(), z, data.labels().clone(), data.rows(), d, data.classNames());
    }
}
