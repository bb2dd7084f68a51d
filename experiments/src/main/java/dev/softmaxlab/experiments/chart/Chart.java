package dev.softmaxlab.experiments.chart;

/**
 * One chart, as data: what it shows, not how it is drawn. Every chart has an id that names its files
 * ({@code <id>.svg}, {@code <id>.png}, {@code <id>.vl.json}) and its element in the HTML page.
 */
public sealed interface Chart permits LineChart, HeatMap, DotChart {

    /** File-name-safe id: lower case letters, digits and dashes. */
    String id();

    String title();

    /** One line under the title saying how to read the chart; may be empty. */
    String subtitle();

    /** Whether {@code id} is file-name safe. */
    static boolean isValidId(String id) {
        return id.matches("[a-z0-9][a-z0-9-]*");
    }
}
