package dev.softmaxlab.experiments.data;

import dev.softmaxlab.experiments.checks.Needs;
import dev.softmaxlab.experiments.checks.Require;
import java.util.List;
import java.util.stream.Stream;

/**
 * What data a run trains on, and how it is split: the data keys of a train config, checked once, here.
 *
 * @param dataset      blobs | spiral | iris | digits | csv:PATH
 * @param labelColumn  csv only: the label column by header name or 0-based index; null = the last column
 * @param header       csv only: line 1 names the columns; false reads it as data (columns named 0, 1, ...)
 * @param standardize  z-score features with the training split's mean and std
 * @param testFraction stratified test share in (0, 1)
 * @param samples      blobs/spiral: total rows
 * @param classes      blobs/spiral: K (spiral arms)
 * @param dimensions   blobs: D (a spiral is 2-D)
 * @param separation   blobs: distance scale between class centres; spiral: turns
 * @param noise        blobs/spiral: noise standard deviation
 * @param padFraction  share of the training rows whose label becomes the loss head's ignore index, as padding
 *                     does, drawn once from the seed, in [0, 1)
 */
public record DataSettings(String dataset, String labelColumn, boolean header, boolean standardize,
                           double testFraction, int samples, int classes, int dimensions, double separation,
                           double noise, double padFraction) {

    /** The names {@code dataset} takes: the built-in ones, then {@code csv:PATH}. */
    public static final List<String> NAMES = Stream.concat(Datasets.NAMES.stream(), Stream.of("csv:PATH")).toList();

    static final String CSV_PREFIX = "csv:";
    /** Largest synthetic feature matrix (rows × columns), 400 MB of doubles. */
    static final long MAX_VALUES = 50_000_000L;

    public DataSettings {
        if (dataset == null) {
            throw Require.fail("dataset", "dataset is missing; give one of " + String.join(", ", NAMES));
        }
        if (dataset.equals(CSV_PREFIX)) {
            throw Require.fail("dataset",
                    "dataset = 'csv:': name the file after 'csv:', e.g. csv:data/measurements.csv");
        }
        if (!(Datasets.NAMES.contains(dataset) || isCsv(dataset))) {
            throw Require.notOneOf("dataset", dataset, NAMES);
        }
        Require.range("testFraction", testFraction, 0, false, 1, false, "0.25");
        Require.atLeast("samples", samples, 2);
        Require.atLeast("classes", classes, 2);
        Require.atLeast("dimensions", dimensions, 1);
        Require.nonNegative("separation", separation, "3");
        Require.nonNegative("noise", noise, "1");
        Require.range("padFraction", padFraction, 0, true, 1, false, "0.25");
        if (dataset.equals("blobs") || dataset.equals("spiral")) { // synthetic(): fields are not set yet
            if (samples < 2 * classes) {
                throw Require.fail("samples", "samples = " + samples + ": too few for " + classes
                        + " classes; give at least " + 2 * classes
                        + " (2 per class, so each class is in both the train and the test part)");
            }
            long values = (long) samples * Math.max(2, dimensions);
            if (values > MAX_VALUES) {
                throw Require.fail("samples", "samples = " + samples + " × dimensions = " + dimensions + " is "
                        + values + " values, more than the " + MAX_VALUES + " this tool holds in memory; give"
                        + " fewer samples or dimensions");
            }
            // the evaluation's logits are rows × classes: checked before anything is allocated
            DatasetSize.check((long) samples * classes, "samples = " + samples + " × classes = " + classes,
                    "give fewer samples or classes");
        }
    }

    /** blobs or spiral: data drawn from the seed. */
    public boolean synthetic() {
        return dataset.equals("blobs") || dataset.equals("spiral");
    }

    /** A user's CSV file. */
    public boolean csv() {
        return isCsv(dataset);
    }

    private static boolean isCsv(String dataset) {
        return dataset.startsWith(CSV_PREFIX);
    }

    /**
     * What {@code key} needs to change anything for this dataset, or null when it applies (or is not a data key):
     * the synthetic knobs apply to blobs and spiral, {@code dimensions} to blobs only, {@code labelColumn} and
     * {@code header} to csv.
     */
    public Needs needs(String key) {
        return switch (key) {
            case "samples", "classes", "noise", "separation" -> synthetic() ? null
                    : new Needs("dataset", "blobs or spiral");
            case "dimensions" -> dataset.equals("blobs") ? null : new Needs("dataset", "blobs");
            case "labelColumn", "header" -> csv() ? null : new Needs("dataset", "csv:PATH");
            default -> null;
        };
    }
}
