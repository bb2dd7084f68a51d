package dev.softmaxlab.experiments.data;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.train.TrainConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Builds the dataset a {@link TrainConfig} names ({@code dataset}: blobs, spiral, iris, digits or csv:PATH) and its
 * train/test split. Settings come from the config only; synthetic data draws from the {@link Seeds#DATA} stream and
 * the split from the {@link Seeds#SPLIT} stream of {@code config.seed()}. Settings a dataset does not use are
 * ignored: {@code samples}, {@code classes}, {@code separation} and {@code noise} apply to blobs and spiral,
 * {@code dimensions} to blobs only (a spiral is 2-D), {@code labelColumn} to csv only.
 *
 * <p>iris and digits are shipped as classpath resources (UCI Machine Learning Repository, CC BY 4.0): Fisher's Iris
 * data (R. A. Fisher, 1936) and the test set of "Optical Recognition of Handwritten Digits" (E. Alpaydin and C.
 * Kaynak, 1998).
 */
public final class Datasets {

    /** The built-in dataset names; a user file is {@code csv:PATH}. */
    public static final List<String> NAMES = List.of("blobs", "spiral", "iris", "digits");

    private static final String CSV_PREFIX = "csv:";
    /** Largest synthetic feature matrix (rows × columns), 400 MB of doubles. */
    private static final long MAX_VALUES = 50_000_000L;

    private Datasets() {
    }

    /**
     * The whole dataset {@code config.dataset()} names, before any split or standardization.
     *
     * @throws InvalidInputException naming the key, the value and the fix for an unknown dataset or bad settings
     */
    public static Dataset load(TrainConfig config) {
        String name = config.dataset();
        if (name == null) {
            throw new InvalidInputException("dataset is missing; give one of " + validNames());
        }
        if (name.startsWith(CSV_PREFIX)) {
            String file = name.substring(CSV_PREFIX.length());
            if (file.isBlank()) {
                throw new InvalidInputException("dataset '" + name + "' has no path; write csv:PATH, e.g."
                        + " csv:data/train.csv");
            }
            Path path;
            try {
                path = Path.of(file);
            } catch (InvalidPathException e) {
                throw new InvalidInputException("dataset '" + name + "': '" + file + "' is not a valid path ("
                        + e.getReason() + ")", e);
            }
            return CsvDatasets.read(path, config.labelColumn(), config.header());
        }
        switch (name) {
            case "blobs": {
                checkSynthetic(config);
                if (config.dimensions() < 1) {
                    throw new InvalidInputException("dimensions " + config.dimensions() + " must be at least 1;"
                            + " give the number of features of the blobs, e.g. 2");
                }
                return SyntheticData.blobs(config.samples(), config.classes(), config.dimensions(),
                        config.separation(), config.noise(), Seeds.stream(config.seed(), Seeds.DATA));
            }
            case "spiral": {
                checkSynthetic(config);
                return SyntheticData.spiral(config.samples(), config.classes(), config.separation(), config.noise(),
                        Seeds.stream(config.seed(), Seeds.DATA));
            }
            case "iris":
                return resource("iris", List.of("setosa", "versicolor", "virginica"));
            case "digits":
                return resource("digits", null);
            default:
                String near = Suggestions.nearest(name, NAMES);
                throw new InvalidInputException("unknown dataset '" + name + "'"
                        + (near == null ? "" : " (did you mean '" + near + "'?)") + "; give one of " + validNames());
        }
    }

    /**
     * The split a run trains and evaluates on: {@link #load}, then {@link Splits#stratified} with
     * {@code testFraction} on the {@link Seeds#SPLIT} stream, then, when {@code standardize} is set, a
     * {@link Standardizer} fitted on the train part and applied to both.
     */
    public static Split prepare(TrainConfig config) {
        // Checked before loading so a bad fraction is reported without reading a large file first.
        Splits.checkTestFraction(config.testFraction());
        Dataset all = load(config);
        RandomGenerator rng = Seeds.stream(config.seed(), Seeds.SPLIT);
        Split split = Splits.stratified(all, config.testFraction(), rng);
        if (!config.standardize()) {
            return split;
        }
        Standardizer z = Standardizer.fit(split.train());
        return new Split(z.apply(split.train()), z.apply(split.test()));
    }

    private static void checkSynthetic(TrainConfig config) {
        if (config.classes() < 2) {
            throw new InvalidInputException("classes " + config.classes() + " must be at least 2; a classifier"
                    + " needs two classes or more");
        }
        if (config.samples() < 2 * config.classes()) {
            throw new InvalidInputException("samples " + config.samples() + " is too few for " + config.classes()
                    + " classes; give at least " + 2 * config.classes()
                    + " (2 per class, so each class is in both the train and the test part)");
        }
        long values = (long) config.samples() * Math.max(2, config.dimensions());
        if (values > MAX_VALUES) {
            throw new InvalidInputException("samples " + config.samples() + " × dimensions " + config.dimensions()
                    + " is " + values + " values, more than the " + MAX_VALUES + " this tool holds in memory; give"
                    + " fewer samples or dimensions");
        }
        DatasetSize.check((long) config.samples() * config.classes(), "--samples " + config.samples()
                + " × --classes " + config.classes(), "give fewer samples or classes");
        if (!(config.noise() >= 0) || Double.isInfinite(config.noise())) {
            throw new InvalidInputException("noise " + config.noise() + " must be a finite number ≥ 0 (the"
                    + " standard deviation of the Gaussian noise)");
        }
        if (!(config.separation() >= 0) || Double.isInfinite(config.separation())) {
            throw new InvalidInputException("separation " + config.separation() + " must be a finite number ≥ 0");
        }
    }

    private static Dataset resource(String name, List<String> classNames) {
        String file = name + ".csv";
        String text;
        try (InputStream in = Datasets.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("bundled dataset " + file + " is missing from the classpath");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled dataset " + file, e);
        }
        Dataset d = CsvDatasets.parse(text, file, name, null);
        if (classNames == null) {
            return d;
        }
        return new Dataset(d.name(), d.features(), d.labels(), d.rows(), d.featureCount(), classNames);
    }

    private static String validNames() {
        return String.join(", ", NAMES) + " or csv:PATH";
    }
}
