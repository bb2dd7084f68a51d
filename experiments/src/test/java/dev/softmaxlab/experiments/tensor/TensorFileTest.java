package dev.softmaxlab.experiments.tensor;

import dev.softmaxlab.core.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The readers on files written byte by byte ({@link TensorBytes}), and every kind of bad file. */
class TensorFileTest {

    @TempDir
    Path dir;

    private Path file(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    /** Reads all rows of the selected entry. */
    private static double[] rows(TensorFile f, String name, String fallback) throws IOException {
        TensorEntry e = f.select(name, fallback, "--logits");
        try (RowReader r = new RowReader(e)) {
            double[] all = new double[(int) (r.rows() * r.columns())];
            double[] block = new double[r.columns() * 3];
            int at = 0;
            int n;
            while ((n = r.read(block, 3)) > 0) {
                System.arraycopy(block, 0, all, at, n * r.columns());
                at += n * r.columns();
            }
            return all;
        }
    }

    private static String message(Path p, RawLayout raw) {
        return assertThrows(InvalidInputException.class, () -> {
            try (TensorFile f = TensorFile.open(p, raw)) {
                for (TensorEntry e : f.entries()) {
                    if (e.dtype().isInteger()) {
                        RowReader.readIntegers(e, "--labels");
                    } else {
                        rows(f, e.name(), "logits");
                    }
                }
            }
        }).getMessage();
    }

    @Test
    void npyFloat32WithLeadingDimensionsFlattened() throws IOException {
        Path p = file("a.npy", TensorBytes.npy("<f4", "2, 2, 3", false,
                TensorBytes.f32(1, 2, 3, 4, 5, 6, -1.5f, 0.25f, Float.NaN, 7, 8, Float.NEGATIVE_INFINITY)));
        try (TensorFile f = TensorFile.open(p, null)) {
            assertEquals(TensorFile.Format.NPY, f.format());
            TensorEntry e = f.select(null, "logits", "--logits");
            assertArrayEquals(new long[] {4, 3}, RowReader.shapeOf(e));
            double[] v = rows(f, null, "logits");
            assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, -1.5, 0.25, Double.NaN, 7, 8,
                    Double.NEGATIVE_INFINITY}, v);
        }
    }

    @Test
    void npyFloat64AndFloat16Values() throws IOException {
        try (TensorFile f = TensorFile.open(file("d.npy", TensorBytes.npy("<f8", "1, 2", false,
                TensorBytes.f64(Math.PI, -1e300))), null)) {
            assertArrayEquals(new double[] {Math.PI, -1e300}, rows(f, null, "logits"));
        }
        // fp16 patterns: 0x3C00 = 1, 0xC000 = -2, 0x7BFF = 65504, 0x0001 = 2^-24, 0x7C00 = +inf, 0x3555 = 0.333251953125
        try (TensorFile f = TensorFile.open(file("h.npy", TensorBytes.npy("<f2", "2, 3", false,
                TensorBytes.u16(0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00, 0x3555))), null)) {
            assertArrayEquals(new double[] {1, -2, 65504, 0x1p-24, Double.POSITIVE_INFINITY, 0.333251953125},
                    rows(f, null, "logits"));
        }
    }

    @Test
    void integerLabelsInEveryIntegerDtype() throws IOException {
        assertArrayEquals(new long[] {3, 0, -100}, labels(TensorBytes.npy("<i8", "3,", false, TensorBytes.i64(3, 0, -100))));
        assertArrayEquals(new long[] {7, 1}, labels(TensorBytes.npy("<i4", "2,", false, TensorBytes.i32(7, 1))));
        assertArrayEquals(new long[] {-100, 5}, labels(TensorBytes.npy("<i2", "2,", false, TensorBytes.u16(0xFF9C, 5))));
        assertArrayEquals(new long[] {255, 2}, labels(TensorBytes.npy("|u1", "2,", false, new byte[] {(byte) 255, 2})));
    }

    private long[] labels(byte[] npy) throws IOException {
        try (TensorFile f = TensorFile.open(file("y" + System.nanoTime() + ".npy", npy), null)) {
            return RowReader.readIntegers(f.entries().get(0), "--labels");
        }
    }

    @Test
    void safetensorsAllDtypesAndBf16Values() throws IOException {
        // bf16 0x3F80 = 1, 0xC040 = -3, 0x7F80 = +inf, 0x4049 = 3.140625
        byte[] data = TensorBytes.concat(TensorBytes.u16(0x3F80, 0xC040, 0x7F80, 0x4049), TensorBytes.i64(1, 0),
                TensorBytes.i32(9), TensorBytes.u16(0x3C00), new byte[] {4});
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"logits\":{\"dtype\":\"BF16\",\"shape\":[2,2],\"data_offsets\":[0,8]},"
                + "\"labels\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[8,24]},"
                + "\"i\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[24,28]},"
                + "\"h\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[28,30]},"
                + "\"u\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[30,31]}}";
        try (TensorFile f = TensorFile.open(file("m.safetensors", TensorBytes.safetensors(header, data)), null)) {
            assertEquals(TensorFile.Format.SAFETENSORS, f.format());
            assertEquals(DType.BFLOAT16, f.select(null, "logits", "--logits").dtype());
            assertArrayEquals(new double[] {1, -3, Double.POSITIVE_INFINITY, 3.140625}, rows(f, null, "logits"));
            assertArrayEquals(new long[] {1, 0}, RowReader.readIntegers(f.select(null, "labels", "--labels"), "--labels"));
            assertArrayEquals(new long[] {9}, RowReader.readIntegers(f.select("i", "x", "--labels"), "--labels"));
            assertArrayEquals(new double[] {1}, rows(f, "h", "x"));
            assertArrayEquals(new long[] {4}, RowReader.readIntegers(f.select("u", "x", "--labels"), "--labels"));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void npzStoredAndDeflated(boolean deflate) throws IOException {
        byte[] zip = TensorBytes.zip(deflate,
                "logits.npy", TensorBytes.npy("<f4", "2, 2", false, TensorBytes.f32(1, 2, 3, 4)),
                "labels.npy", TensorBytes.npy("<i8", "2,", false, TensorBytes.i64(1, 0)));
        try (TensorFile f = TensorFile.open(file("z.npz", zip), null)) {
            assertEquals(TensorFile.Format.NPZ, f.format());
            assertArrayEquals(new double[] {1, 2, 3, 4}, rows(f, null, "logits"));
            assertArrayEquals(new long[] {1, 0}, RowReader.readIntegers(f.select(null, "labels", "--labels"), "--labels"));
        }
    }

    @Test
    void rawWithDtypeAndShape() throws IOException {
        Path p = file("r.bin", TensorBytes.u16(0x3F80, 0x4000, 0x4040, 0x4080, 0x40A0, 0x40C0));
        try (TensorFile f = TensorFile.open(p, new RawLayout(DType.BFLOAT16, new long[] {3, 2}))) {
            assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, rows(f, null, "logits"));
        }
        assertTrue(message(p, new RawLayout(DType.FLOAT32, new long[] {3, 2})).contains("needs 24 bytes but the file holds only 12"));
    }

    @Test
    void fortranOrder() throws IOException {
        assertTrue(message(file("f.npy", TensorBytes.npy("<f4", "2, 2", true, TensorBytes.f32(1, 2, 3, 4))), null)
                .contains("Fortran-order"));
        // one dimension: both orders are the same bytes, so it is read
        try (TensorFile f = TensorFile.open(file("f1.npy", TensorBytes.npy("<f4", "1, 3", true,
                TensorBytes.f32(1, 2, 3))), null)) {
            assertArrayEquals(new double[] {1, 2, 3}, rows(f, null, "logits"));
        }
    }

    @Test
    void truncatedFiles() throws IOException {
        byte[] whole = TensorBytes.npy("<f4", "2, 3", false, TensorBytes.f32(1, 2, 3, 4, 5, 6));
        // cut inside the header
        assertTrue(message(file("t1.npy", Arrays.copyOf(whole, 30)), null).contains("truncated"));
        // the header claims 24 bytes of data, the file holds 20
        String m = message(file("t2.npy", Arrays.copyOf(whole, whole.length - 4)), null);
        assertTrue(m.contains("24 bytes of data but the file holds 20"), m);
        // a deflated npz whose entry's data is cut: the zip directory is fine but the stream ends early
        byte[] zip = TensorBytes.zip(true, "logits.npy", TensorBytes.npy("<f4", "2, 3", false,
                TensorBytes.f32(1, 2, 3, 4, 5, 6)));
        assertTrue(message(file("t3.npz", Arrays.copyOf(zip, zip.length / 2)), null).contains("zip"));
        // safetensors whose header length runs past the end
        byte[] st = TensorBytes.safetensors("{\"logits\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]}}",
                TensorBytes.f32(1, 2));
        assertTrue(message(file("t4.safetensors", Arrays.copyOf(st, 40)), null).contains("header length"));
        // safetensors whose data is short: offsets out of bounds
        assertTrue(message(file("t5.safetensors", Arrays.copyOf(st, st.length - 4)), null).contains("outside"));
    }

    @Test
    void unknownDtypes() throws IOException {
        assertTrue(message(file("c.npy", TensorBytes.npy("<c8", "1, 1", false, new byte[8])), null)
                .contains("unknown dtype '<c8'"));
        assertTrue(message(file("b.npy", TensorBytes.npy(">f4", "1, 1", false, new byte[4])), null)
                .contains("unknown dtype '>f4'"));
        assertTrue(message(file("e.safetensors", TensorBytes.safetensors(
                "{\"x\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}", new byte[1])), null)
                .contains("unknown dtype 'F8_E4M3'"));
        assertThrows(InvalidInputException.class, () -> DType.fromId("complex64"));
    }

    @Test
    void safetensorsHeaderNotJsonOrOverlapping() throws IOException {
        assertTrue(message(file("j.safetensors", TensorBytes.safetensors("{not json", new byte[4])), null)
                .contains("not valid JSON"));
        String overlap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        String m = message(file("o.safetensors", TensorBytes.safetensors(overlap, new byte[12])), null);
        assertTrue(m.contains("'a' and 'b' overlap"), m);
        String wrongSize = "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}";
        assertTrue(message(file("w.safetensors", TensorBytes.safetensors(wrongSize, new byte[8])), null)
                .contains("needs 12"));
    }

    @Test
    void npzWithoutTheNamedEntryListsTheNames() throws IOException {
        byte[] zip = TensorBytes.zip(false,
                "scores.npy", TensorBytes.npy("<f4", "1, 2", false, TensorBytes.f32(1, 2)),
                "y.npy", TensorBytes.npy("<i8", "1,", false, TensorBytes.i64(1)));
        try (TensorFile f = TensorFile.open(file("n.npz", zip), null)) {
            String m = assertThrows(InvalidInputException.class, () -> f.select("logits", "logits", "--logits"))
                    .getMessage();
            assertTrue(m.contains("no entry 'logits'") && m.contains("scores, y"), m);
            m = assertThrows(InvalidInputException.class, () -> f.select(null, "logits", "--logits")).getMessage();
            assertTrue(m.contains("none is named 'logits'") && m.contains("--logits NAME"), m);
        }
    }

    @Test
    void notATensorFileAndPickles() throws IOException {
        assertTrue(message(file("x.txt", "hello, world, this is text".getBytes()), null)
                .contains("not a tensor file"));
        assertTrue(message(file("m.pt", new byte[] {1, 2, 3}), null).contains("safetensors.torch.save_file"));
        // a pickle under another name: protocol 2 magic 0x80 0x02
        assertTrue(message(file("m.bin", new byte[] {(byte) 0x80, 2, 'c', 'x'}), null).contains("pickle"));
        // torch.save's zip archive under another name
        byte[] torchZip = TensorBytes.zip(false, "archive/data.pkl", new byte[] {(byte) 0x80, 2});
        assertTrue(message(file("m.zip", torchZip), null).contains("PyTorch zip archive"));
    }

    @Test
    void floatLabelsAreRefused() throws IOException {
        Path p = file("fl.npy", TensorBytes.npy("<f4", "2,", false, TensorBytes.f32(1, 0)));
        try (TensorFile f = TensorFile.open(p, null)) {
            String m = assertThrows(InvalidInputException.class,
                    () -> RowReader.readIntegers(f.entries().get(0), "--labels")).getMessage();
            assertTrue(m.contains("not an integer tensor"), m);
        }
    }
}
