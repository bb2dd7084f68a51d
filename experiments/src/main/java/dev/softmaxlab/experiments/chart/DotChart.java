package dev.softmaxlab.experiments.chart;

import java.util.List;

/**
 * One dot per row checked by a rule, placed at the row's value, coloured by its path and shaped by its verdict
 * (a filled circle when it passed, a cross when it broke the rule), with the rule's thresholds as horizontal lines.
 *
 * @param id         file-name-safe id
 * @param title      the rule
 * @param subtitle   its verdict
 * @param y          the value axis
 * @param dots       the rows, left to right
 * @param thresholds horizontal lines: the values the rule compares against
 */
public record DotChart(String id, String title, String subtitle, Axis y, List<Dot> dots, List<Threshold> thresholds)
        implements Chart {

    public DotChart {
        dots = List.copyOf(dots);
        thresholds = List.copyOf(thresholds);
        if (!Chart.isValidId(id)) {
            throw new IllegalArgumentException("chart id " + id);
        }
    }

    /**
     * One checked row.
     *
     * @param label     the row: run and setting, e.g. "separate@fp16 logitScale=1000"
     * @param path      its path (colour)
     * @param precision its precision
     * @param value     the value checked; NaN/±Infinity (and ≤ 0 on a log axis) drawn at the edge, named by valueText
     * @param valueText the value as the document has it (e.g. "null" when it never went non-finite)
     * @param passed    whether this row passed
     */
    public record Dot(String label, String path, String precision, double value, String valueText, boolean passed) {
    }

    /** A horizontal line at {@code value}, e.g. "≥ 0.95". */
    public record Threshold(double value, String label) {
    }
}
