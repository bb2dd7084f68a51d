package dev.softmaxlab.experiments.chart;

/**
 * A numeric axis.
 *
 * @param label the quantity and its unit, e.g. "step (optimizer updates)"
 * @param log   base-10 log scale; values ≤ 0 cannot be drawn on it, and the chart's notes say how many were not
 */
public record Axis(String label, boolean log) {

    /** The quantity without its unit: "step" for "step (optimizer updates)". */
    public String name() {
        int i = label.indexOf(" (");
        return i < 0 ? label : label.substring(0, i);
    }

    public static Axis linear(String label) {
        return new Axis(label, false);
    }

    public static Axis log(String label) {
        return new Axis(label, true);
    }
}
