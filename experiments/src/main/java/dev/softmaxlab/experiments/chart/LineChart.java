package dev.softmaxlab.experiments.chart;

import java.util.List;

/**
 * Lines against a shared x axis, one per run ({@code path@precision}), with vertical marks (the step where a run first
 * went non-finite, the scale where a path breaks).
 *
 * @param id       file-name-safe id
 * @param title    the question the chart answers
 * @param subtitle how to read it
 * @param x        the x axis
 * @param y        the y axis
 * @param series   the lines, in legend order
 * @param marks    vertical marks, each tied to a series by key
 * @param notes    what the drawing cannot show and the reader must know (e.g. values of 0 on a log axis)
 */
public record LineChart(String id, String title, String subtitle, Axis x, Axis y, List<Series> series,
                        List<Mark> marks, List<String> notes) implements Chart {

    public LineChart {
        series = List.copyOf(series);
        marks = List.copyOf(marks);
        notes = List.copyOf(notes);
        if (!Chart.isValidId(id)) {
            throw new IllegalArgumentException("chart id " + id);
        }
    }

    /**
     * A vertical mark at {@code x}, in the colour and dash of series {@code seriesKey}.
     *
     * @param label short text drawn beside it, e.g. "separate@fp16 non-finite at step 1"
     */
    public record Mark(String seriesKey, double x, String label) {
    }
}
