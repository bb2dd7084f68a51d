package dev.softmaxlab.experiments.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Files written by numpy itself (numpy 1.x/2.x, once, then committed), read back. They were made with:
 * <pre>
 *   x = [[1.5, -2.25, 3.0], [0.5, 0.25, -0.125]]
 *   np.save('np_f32.npy', np.array(x, dtype=np.float32))
 *   np.savez_compressed('np_c.npz', logits=np.array(x, dtype=np.float64), labels=np.array([2, 0], dtype=np.int64))
 *   np.savez('np_s.npz', logits=np.array(x, dtype=np.float16), labels=np.array([2, 0], dtype=np.int32))
 * </pre>
 * Every value of x is exact in float16, so all three hold the same numbers.
 */
class NumpyFixturesTest {

    private static final double[] X = {1.5, -2.25, 3.0, 0.5, 0.25, -0.125};

    @TempDir
    Path dir;

    private Path copy(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = NumpyFixturesTest.class.getResourceAsStream(name)) {
            Files.copy(in, p);
        }
        return p;
    }

    private static double[] all(TensorEntry e) throws IOException {
        try (RowReader r = new RowReader(e)) {
            double[] v = new double[(int) (r.rows() * r.columns())];
            r.read(v, (int) r.rows());
            return v;
        }
    }

    @Test
    void npyFloat32() throws IOException {
        try (TensorFile f = TensorFile.open(copy("np_f32.npy"), null)) {
            assertEquals(DType.FLOAT32, f.entries().get(0).dtype());
            assertArrayEquals(X, all(f.entries().get(0)));
        }
    }

    @Test
    void compressedNpzFloat64AndInt64() throws IOException {
        try (TensorFile f = TensorFile.open(copy("np_c.npz"), null)) {
            assertEquals(TensorFile.Format.NPZ, f.format());
            assertArrayEquals(X, all(f.select(null, "logits", "--logits")));
            assertArrayEquals(new long[] {2, 0}, RowReader.readIntegers(f.select("labels", "x", "--labels"), "--labels"));
        }
    }

    @Test
    void storedNpzFloat16AndInt32() throws IOException {
        try (TensorFile f = TensorFile.open(copy("np_s.npz"), null)) {
            assertEquals(DType.FLOAT16, f.select(null, "logits", "--logits").dtype());
            assertArrayEquals(X, all(f.select(null, "logits", "--logits")));
            assertArrayEquals(new long[] {2, 0}, RowReader.readIntegers(f.select("labels", "x", "--labels"), "--labels"));
        }
    }
}
