package dev.softmaxlab.experiments.plot;

import dev.softmaxlab.experiments.chart.Axis;
import dev.softmaxlab.experiments.chart.LineChart;
import dev.softmaxlab.experiments.chart.Series;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Helpers shared by the chart builders: series from records, the log-or-linear choice, the non-finite marks. */
final class RunLines {

    /** A decade span beyond which a positive quantity reads better on a log axis. */
    private static final double LOG_SPAN = 100;

    private RunLines() {
    }

    /** A series of {@code records} with x and y read by the given functions. */
    static <T> Series series(String key, String path, String precision, List<T> records, ToDoubleFunction<T> x,
                             ToDoubleFunction<T> y) {
        double[] xs = new double[records.size()];
        double[] ys = new double[records.size()];
        for (int i = 0; i < records.size(); i++) {
            xs[i] = x.applyAsDouble(records.get(i));
            ys[i] = y.applyAsDouble(records.get(i));
        }
        return new Series(key, path, precision, xs, ys);
    }

    /**
     * Log where it helps: when the positive finite values span more than two decades and none is negative. Values of
     * exactly 0 cannot sit on a log axis; the chart says how many there are in its notes (see Trace).
     */
    static Axis axisFor(String label, List<Series> series) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (Series s : series) {
            for (double v : s.y()) {
                if (Double.isFinite(v)) {
                    if (v < 0) {
                        return Axis.linear(label);
                    }
                    if (v > 0) {
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                }
            }
        }
        return max > 0 && max / min > LOG_SPAN ? Axis.log(label + ", log scale") : Axis.linear(label);
    }

    /** The marks: one per series whose run went non-finite, at that step. */
    static List<LineChart.Mark> marks(List<Series> series, List<Double> firstNonFinite, String what) {
        List<LineChart.Mark> marks = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            double x = firstNonFinite.get(i);
            if (!Double.isNaN(x)) {
                marks.add(new LineChart.Mark(series.get(i).key(), x, series.get(i).key() + " " + what + " "
                        + (long) x));
            }
        }
        return marks;
    }
}
