package dev.softmaxlab.experiments.data;

import dev.softmaxlab.core.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Builds the dataset {@link DataSettings} name ({@code dataset}: blobs, spiral, iris, digits or csv:PATH) and its
 * train/test split. The settings are checked in {@link DataSettings}; synthetic data draws from the
 * {@link Seeds#DATA} stream and the split from the {@link Seeds#SPLIT} stream of the run's seed.
 *
 * <p>iris and digits are shipped as classpath resources (UCI Machine Learning Repository, CC BY 4.0): Fisher's Iris
 * data (R. A. Fisher, 1936) and the test set of "Optical Recognition of Handwritten Digits" (E. Alpaydin and C.
 * Kaynak, 1998).
 */
public final class Datasets {

    /** The built-in dataset names; a user file is {@code csv:PATH}. */
    public static final List<String> NAMES = List.of("blobs", "spiral", "iris", "digits");

    private static final String CSV_PREFIX = DataSettings.CSV_PREFIX;

    private Datasets() {
    }

    /**
     * The whole dataset {@code config.dataset()} names, before any split or standardization.
     *
     * @throws InvalidInputException naming the key, the value and the fix for an unknown dataset or bad settings
     */
    public static Dataset load(DataSettings config, long seed) {
        String name = config.dataset();
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
                return SyntheticData.blobs(config.samples(), config.classes(), config.dimensions(),
                        config.separation(), config.noise(), Seeds.stream(seed, Seeds.DATA));
            }
            case "spiral": {
                return SyntheticData.spiral(config.samples(), config.classes(), config.separation(), config.noise(),
                        Seeds.stream(seed, Seeds.DATA));
            }
            case "iris":
                return resource("iris", List.of("setosa", "versicolor", "virginica"));
            case "digits":
                return resource("digits", null);
            default:
                throw new IllegalStateException("dataset " + name); // DataSettings admits no other
        }
    }

    /**
     * The split a run trains and evaluates on: {@link #load}, then {@link Splits#stratified} with
     * {@code testFraction} on the {@link Seeds#SPLIT} stream, then, when {@code standardize} is set, a
     * {@link Standardizer} fitted on the train part and applied to both.
     */
    public static Split prepare(DataSettings config, long seed) {
        Dataset all = load(config, seed);
        RandomGenerator rng = Seeds.stream(seed, Seeds.SPLIT);
        Split split = Splits.stratified(all, config.testFraction(), rng);
        if (!config.standardize()) {
            return split;
        }
        Standardizer z = Standardizer.fit(split.train());
        return new Split(z.apply(split.train()), z.apply(split.test()));
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
}
