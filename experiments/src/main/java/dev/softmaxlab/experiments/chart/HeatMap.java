package dev.softmaxlab.experiments.chart;

import java.util.List;

/**
 * A grid of cells: rows are runs ({@code path@precision}), columns are settings (grid points of a sweep), each cell
 * coloured by a value and labelled with its text.
 *
 * @param id          file-name-safe id
 * @param title       the question the chart answers
 * @param subtitle    how to read it
 * @param columnLabel what the columns are, e.g. "logitScale"
 * @param columns     column labels, left to right
 * @param rowLabel    what the rows are, e.g. "run (path@precision)"
 * @param rows        row labels, top to bottom
 * @param values      [rows][columns] the colouring value; NaN for a cell with no colour value (see {@code text})
 * @param text        [rows][columns] the label of each cell (e.g. "12", "never", "not run")
 * @param scale       what the colour means
 */
public record HeatMap(String id, String title, String subtitle, String columnLabel, List<String> columns,
                      String rowLabel, List<String> rows, double[][] values, String[][] text, ColourScale scale)
        implements Chart {

    public HeatMap {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
        if (!Chart.isValidId(id)) {
            throw new IllegalArgumentException("chart id " + id);
        }
        if (values.length != rows.size() || text.length != rows.size()) {
            throw new IllegalArgumentException("heat map " + id + ": one value row per row label");
        }
        values = values.clone();
        text = text.clone();
        for (int r = 0; r < values.length; r++) {
            if (values[r].length != columns.size() || text[r].length != columns.size()) {
                throw new IllegalArgumentException("heat map " + id + ": one value per column in row " + r);
            }
            values[r] = values[r].clone();
            text[r] = text[r].clone();
        }
    }

    /**
     * The colour of a value: a sequential colour-blind-safe ramp from {@code low} to {@code high}, and a separate flat
     * colour for cells without a value.
     *
     * @param label        the legend title, with its unit
     * @param low          the value at the dark end
     * @param high         the value at the light end
     * @param log          spread the ramp on a log scale
     * @param missingLabel what a cell without a value means, e.g. "never non-finite"
     */
    public record ColourScale(String label, double low, double high, boolean log, String missingLabel) {
    }
}
