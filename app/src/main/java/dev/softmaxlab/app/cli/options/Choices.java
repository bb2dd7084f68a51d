package dev.softmaxlab.app.cli.options;

import dev.softmaxlab.core.loss.LossPath;
import dev.softmaxlab.core.loss.LossPaths;
import dev.softmaxlab.experiments.config.ConfigKeys;
import dev.softmaxlab.core.precision.Precision;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * The valid values of the shared options, as picocli completion candidates, so that {@code --help} and error messages
 * list exactly the ids the code accepts (one source: the enums and {@link LossPaths}).
 */
public final class Choices {

    private Choices() {
    }

    /** Loss path ids in {@link LossPaths#all()} order. */
    public static final class PathIds implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            List<String> ids = new ArrayList<>();
            for (LossPath p : LossPaths.all()) {
                ids.add(p.id());
            }
            return ids.iterator();
        }
    }

    /** Precision ids: fp64, fp32, bf16, fp16. */
    public static final class PrecisionIds implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Precision.values()).map(Precision::id).iterator();
        }
    }

    /** The reductions training takes: mean, sum ({@code none} keeps one loss per row, which cannot train). */
    public static final class ReductionIds implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return ConfigKeys.TRAIN_REDUCTIONS.iterator();
        }
    }

    /** "a, b, c" for an error message. */
    static String join(Iterable<String> ids) {
        return String.join(", ", ids);
    }
}
