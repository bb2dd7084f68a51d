package dev.softmaxlab.experiments.chart;

/**
 * One line of a {@link LineChart}: a run's values in x order, exactly as its document holds them. A non-finite y is
 * kept: the drawing ends the line at the last finite point before it and marks that end, it never joins across it.
 *
 * @param key       the legend entry, {@code path@precision}
 * @param path      the loss path id (picks the colour)
 * @param precision the precision id (picks the dash and marker)
 * @param x         [n] x values, increasing
 * @param y         [n] y values; NaN and ±Infinity allowed
 */
public record Series(String key, String path, String precision, double[] x, double[] y) {

    public Series {
        if (x.length != y.length) {
            throw new IllegalArgumentException("series " + key + ": " + x.length + " x values but " + y.length + " y");
        }
        x = x.clone();
        y = y.clone();
    }

    public int size() {
        return x.length;
    }
}
