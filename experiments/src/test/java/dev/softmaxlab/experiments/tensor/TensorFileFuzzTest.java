package dev.softmaxlab.experiments.tensor;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.softmaxlab.core.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes the tensor readers (.npy, .npz, .safetensors, told apart by their first bytes): any bytes, written to a
 * file, either open and read row by row, or are refused with {@link InvalidInputException}; nothing else escapes
 * (an {@link IOException} of reading a file that was just written is not expected either). At most 4 rows of at most
 * 65,536 values are read, so a header that claims a huge tensor must be refused from the file's size, not by running
 * out of memory. Seed corpus: {@code src/test/resources/.../TensorFileFuzzTestInputs} (small files from numpy).
 */
class TensorFileFuzzTest {

    private static final Path FILE;

    static {
        try {
            Path dir = Files.createTempDirectory("softmaxlab-fuzz");
            dir.toFile().deleteOnExit();
            FILE = dir.resolve("input.bin");
            FILE.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void everyFileOpensOrIsAUserError(byte[] input) throws IOException {
        Files.write(FILE, input);
        try (TensorFile f = TensorFile.open(FILE, null)) {
            for (TensorEntry e : f.entries()) {
                try (RowReader r = new RowReader(e)) {
                    if (r.columns() > 1 << 16) {
                        continue;
                    }
                    double[] rows = new double[4 * r.columns()];
                    r.read(rows, 4);
                }
            }
        } catch (InvalidInputException e) {
            // refused: the tool's own error
        }
    }
}
