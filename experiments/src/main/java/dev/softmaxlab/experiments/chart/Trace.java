package dev.softmaxlab.experiments.chart;

import java.util.ArrayList;
import java.util.List;

/**
 * What of a {@link Series} can be drawn on given axes, worked out once for every renderer: the points kept, the gaps,
 * and each place the line ends because its values stop being finite. Nothing is dropped silently: a non-finite value
 * ends the line with a mark, and a finite value a log axis cannot show (≤ 0) is counted for the chart's notes.
 */
public final class Trace {

    /**
     * The line ends at ({@code x}, {@code y}), its last finite point, because the next value is {@code what}.
     *
     * @param nextX the x of the first non-finite value
     */
    public record End(double x, double y, double nextX, String what) {
    }

    private final double[] y;
    private final List<End> ends;
    private final int notDrawable;
    private final double firstNonFiniteX;
    private final String firstNonFiniteWhat;

    private Trace(double[] y, List<End> ends, int notDrawable, double firstNonFiniteX, String firstNonFiniteWhat) {
        this.y = y;
        this.ends = List.copyOf(ends);
        this.notDrawable = notDrawable;
        this.firstNonFiniteX = firstNonFiniteX;
        this.firstNonFiniteWhat = firstNonFiniteWhat;
    }

    public static Trace of(Series s, boolean yLog) {
        int n = s.size();
        double[] y = new double[n];
        List<End> ends = new ArrayList<>();
        int notDrawable = 0;
        double firstX = Double.NaN;
        String firstWhat = null;
        int lastFinite = -1;
        boolean inFinite = false;
        for (int i = 0; i < n; i++) {
            double v = s.y()[i];
            if (!Double.isFinite(v)) {
                y[i] = Double.NaN;
                if (firstWhat == null) {
                    firstX = s.x()[i];
                    firstWhat = name(v);
                }
                if (inFinite) {
                    ends.add(new End(s.x()[lastFinite], s.y()[lastFinite], s.x()[i], name(v)));
                }
                inFinite = false;
            } else {
                inFinite = true;
                lastFinite = i;
                if (yLog && v <= 0) {
                    notDrawable++;
                    y[i] = Double.NaN;
                } else {
                    y[i] = v;
                }
            }
        }
        return new Trace(y, ends, notDrawable, firstX, firstWhat);
    }

    /** The drawable y values: NaN where the line has a gap. */
    public double[] y() {
        return y.clone();
    }

    public List<End> ends() {
        return ends;
    }

    /** Finite values a log axis cannot show (≤ 0). */
    public int notDrawable() {
        return notDrawable;
    }

    /** Whether any value is non-finite. */
    public boolean hasNonFinite() {
        return firstNonFiniteWhat != null;
    }

    /** The x of the first non-finite value; NaN if none. */
    public double firstNonFiniteX() {
        return firstNonFiniteX;
    }

    /** "NaN", "+∞" or "−∞" for the first non-finite value; null if none. */
    public String firstNonFiniteWhat() {
        return firstNonFiniteWhat;
    }

    /** Whether at least one point can be drawn. */
    public boolean anyDrawable() {
        for (double v : y) {
            if (!Double.isNaN(v)) {
                return true;
            }
        }
        return false;
    }

    /**
     * What the legend adds to a series' key so the reader knows where its line ends, e.g.
     * " — ends at step 130 (then NaN)"; empty when every value is finite.
     */
    public String legendSuffix(Axis x) {
        if (!hasNonFinite()) {
            return "";
        }
        String at = x.name() + " " + Numbers.compact(firstNonFiniteX);
        if (!anyDrawable() && ends.isEmpty()) {
            return " — " + firstNonFiniteWhat + " from " + at + " on: no line to draw";
        }
        return " — " + firstNonFiniteWhat + " from " + at;
    }

    static String name(double v) {
        return Double.isNaN(v) ? "NaN" : v > 0 ? "+∞" : "−∞";
    }
}
