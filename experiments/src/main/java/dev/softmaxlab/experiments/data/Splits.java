package dev.softmaxlab.experiments.data;

import dev.softmaxlab.core.InvalidInputException;
import java.util.random.RandomGenerator;

/** Seeded train/test splits. */
public final class Splits {

    private Splits() {
    }

    /**
     * A stratified split: each class's rows are shuffled (Fisher–Yates with {@code rng}) and the first
     * {@code round(n_c · testFraction)} go to the test part, clamped to [1, n_c − 1] when the class has n_c ≥ 2 rows
     * so that every such class appears in both parts; a class with a single row stays in train. Within each part the
     * rows keep their order in {@code data}. Classes are visited in label order, so the draws, and the split, are a
     * function of the data and the generator's state alone.
     *
     * @param data         the whole dataset, not modified
     * @param testFraction the test share, in (0, 1)
     * @param rng          the split stream (see {@link Seeds#SPLIT}), advanced
     * @throws InvalidInputException if testFraction is outside (0, 1) or no class has 2 rows
     */
    public static Split stratified(Dataset data, double testFraction, RandomGenerator rng) {
        checkTestFraction(testFraction);
        int n = data.rows();
        int k = data.classCount();
        int[] counts = new int[k];
        for (int label : data.labels()) {
            counts[label]++;
        }
        int[][] members = new int[k][];
        for (int c = 0; c < k; c++) {
            members[c] = new int[counts[c]];
        }
        int[] filled = new int[k];
        for (int i = 0; i < n; i++) {
            int c = data.labels()[i];
            members[c][filled[c]++] = i;
        }
        boolean[] inTest = new boolean[n];
        int testRows = 0;
        for (int c = 0; c < k; c++) {
            int[] rows = members[c];
            int m = rows.length;
            if (m < 2) {
                continue;
            }
            for (int i = m - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = rows[i];
                rows[i] = rows[j];
                rows[j] = t;
            }
            int take = (int) Math.min(m - 1, Math.max(1, Math.round(m * testFraction)));
            for (int i = 0; i < take; i++) {
                inTest[rows[i]] = true;
            }
            testRows += take;
        }
        if (testRows == 0) {
            throw new InvalidInputException(data.name() + ": no class has 2 rows, so the test part would be empty;"
                    + " give at least 2 rows of some class");
        }
        int[] trainIndex = new int[n - testRows];
        int[] testIndex = new int[testRows];
        int a = 0;
        int b = 0;
        for (int i = 0; i < n; i++) {
            if (inTest[i]) {
                testIndex[b++] = i;
            } else {
                trainIndex[a++] = i;
            }
        }
        return new Split(subset(data, trainIndex), subset(data, testIndex));
    }

    /** @throws InvalidInputException unless testFraction is in (0, 1) */
    static void checkTestFraction(double testFraction) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new InvalidInputException("testFraction " + testFraction + " is outside (0, 1); give the share of"
                    + " rows held out for testing, e.g. 0.25");
        }
    }

    /** The rows {@code index} of {@code data}, in that order. */
    public static Dataset subset(Dataset data, int[] index) {
        int d = data.featureCount();
        double[] x = new double[index.length * d];
        int[] y = new int[index.length];
        for (int i = 0; i < index.length; i++) {
            System.arraycopy(data.features(), index[i] * d, x, i * d, d);
            y[i] = data.labels()[index[i]];
        }
        return new Dataset(data.name(), x, y, index.length, d, data.classNames());
    }
}
