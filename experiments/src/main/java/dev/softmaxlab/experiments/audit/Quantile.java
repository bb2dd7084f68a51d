package dev.softmaxlab.experiments.audit;

import java.util.Arrays;

/** A growable list of doubles with nearest-rank quantiles. NaN sorts last (as the worst), as Arrays.sort puts it. */
final class Quantile {

    private double[] values = new double[64];
    private int size;

    void add(double v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    int size() {
        return size;
    }

    /** The nearest-rank q-quantile (q in (0, 1]); NaN when empty. */
    double quantile(double q) {
        if (size == 0) {
            return Double.NaN;
        }
        double[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * size);
        return sorted[Math.max(0, Math.min(size, rank) - 1)];
    }

    double min() {
        double m = Double.NaN;
        for (int i = 0; i < size; i++) {
            m = i == 0 ? values[i] : Math.min(m, values[i]);
        }
        return m;
    }

    double max() {
        return quantile(1.0);
    }

    AuditReport.Quantiles summary() {
        return new AuditReport.Quantiles(quantile(0.5), quantile(0.99), max());
    }
}
