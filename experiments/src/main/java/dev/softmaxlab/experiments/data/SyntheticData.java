package dev.softmaxlab.experiments.data;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The synthetic datasets. Both are balanced: {@code samples} rows split as evenly as possible over the K classes (the
 * first {@code samples mod K} classes get one row more), stored class by class.
 */
final class SyntheticData {

    private SyntheticData() {
    }

    /**
     * K Gaussian blobs in D dimensions: row = centre of its class + noise·N(0, I_D).
     *
     * <p>Centres, fixed so that no seed can make two classes collide: for D ≥ 2 they lie evenly on a circle of radius
     * {@code separation} in the first two coordinates (centre k at angle 2πk/K, other coordinates 0); for D = 1 they
     * lie {@code separation} apart on the line, centred on 0. Noise is drawn row by row, coordinate by coordinate.
     */
    static Dataset blobs(int samples, int classes, int dimensions, double separation, double noise,
                         RandomGenerator rng) {
        double[] centres = new double[classes * dimensions]; // centres is [K, D]
        for (int k = 0; k < classes; k++) {
            if (dimensions == 1) {
                centres[k] = separation * (k - (classes - 1) / 2.0);
            } else {
                double angle = 2 * StrictMath.PI * k / classes;
                centres[k * dimensions] = separation * StrictMath.cos(angle);
                centres[k * dimensions + 1] = separation * StrictMath.sin(angle);
            }
        }
        double[] x = new double[samples * dimensions]; // x is [N, D]
        int[] labels = new int[samples];
        int row = 0;
        for (int k = 0; k < classes; k++) {
            for (int i = 0; i < classSize(samples, classes, k); i++, row++) {
                labels[row] = k;
                for (int j = 0; j < dimensions; j++) {
                    x[row * dimensions + j] = centres[k * dimensions + j] + noise * rng.nextGaussian();
                }
            }
        }
        return new Dataset("blobs", x, labels, samples, dimensions, indexNames(classes));
    }

    /**
     * K interleaved spiral arms in 2-D, which no linear model separates. Row i of arm k (n rows) has t = i/(n−1) (0.5
     * when n = 1), radius r = separation·t and angle θ = 2πk/K + 4t radians; the point is r·(cos θ, sin θ) plus
     * noise·N(0, I_2). Use a small noise (e.g. 0.2) for crisp arms.
     */
    static Dataset spiral(int samples, int classes, double separation, double noise, RandomGenerator rng) {
        double[] x = new double[samples * 2]; // x is [N, 2]
        int[] labels = new int[samples];
        int row = 0;
        for (int k = 0; k < classes; k++) {
            int n = classSize(samples, classes, k);
            for (int i = 0; i < n; i++, row++) {
                double t = n == 1 ? 0.5 : (double) i / (n - 1);
                double r = separation * t;
                double angle = 2 * StrictMath.PI * k / classes + 4 * t;
                labels[row] = k;
                x[row * 2] = r * StrictMath.cos(angle) + noise * rng.nextGaussian();
                x[row * 2 + 1] = r * StrictMath.sin(angle) + noise * rng.nextGaussian();
            }
        }
        return new Dataset("spiral", x, labels, samples, 2, indexNames(classes));
    }

    static int classSize(int samples, int classes, int k) {
        return samples / classes + (k < samples % classes ? 1 : 0);
    }

    static List<String> indexNames(int classes) {
        List<String> names = new ArrayList<>(classes);
        for (int k = 0; k < classes; k++) {
            names.add(Integer.toString(k));
        }
        return List.copyOf(names);
    }
}
