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
            mean[j] = mu;
            // An exactly constant column can still get a tiny nonzero σ from rounding in μ; test equality instead.
            std[j] = constant ? 0 : Math.sqrt(squares / n);
        }
        return new Standardizer(mean, std);
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
                z[i * d + j] = std[j] == 0 ? 0 : (x[i * d + j] - mean[j]) / std[j];
            }
        }
        return new Dataset(data.name(), z, data.labels().clone(), data.rows(), d, data.classNames());
    }
}
