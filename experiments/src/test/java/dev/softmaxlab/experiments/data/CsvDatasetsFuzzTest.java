package dev.softmaxlab.experiments.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.io.BoundedInput;
import dev.softmaxlab.experiments.io.InputLimits;

/**
 * Fuzzes the CSV dataset reader: any bytes are decoded as {@link BoundedInput} does and parsed with and without a
 * header, with the label in the last column and in column 0; each either loads or is refused with
 * {@link InvalidInputException}, and nothing else escapes. A loaded dataset must hold together (labels in range,
 * features finite). Seed corpus: {@code src/test/resources/.../CsvDatasetsFuzzTestInputs}.
 */
class CsvDatasetsFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void everyFileLoadsOrIsAUserError(byte[] input) {
        InputLimits before = InputLimits.current();
        InputLimits.use(new InputLimits(1 << 20, 1 << 12));
        try {
            String text;
            try {
                text = BoundedInput.text(input, "fuzz.csv");
            } catch (InvalidInputException e) {
                return;
            }
            for (boolean header : new boolean[] {true, false}) {
                for (String label : new String[] {null, "0"}) {
                    try {
                        check(CsvDatasets.parse(text, "fuzz.csv", "csv:fuzz.csv", label, header));
                    } catch (InvalidInputException e) {
                        // refused: the tool's own error
                    }
                }
            }
        } finally {
            InputLimits.use(before);
        }
    }

    private static void check(Dataset d) {
        if (d.features().length != d.rows() * d.featureCount() || d.labels().length != d.rows()
                || d.classCount() < 2) {
            throw new AssertionError("inconsistent dataset " + d.rows() + "x" + d.featureCount());
        }
        for (int y : d.labels()) {
            if (y < 0 || y >= d.classCount()) {
                throw new AssertionError("label " + y + " out of range");
            }
        }
        for (double x : d.features()) {
            if (!Double.isFinite(x)) {
                throw new AssertionError("non-finite feature " + x);
            }
        }
    }
}
