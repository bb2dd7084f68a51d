package dev.softmaxlab.experiments.tensor;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Writer then reader, in every format and float dtype: the values come back as the dtype's rounding of the input. */
class TensorWriterTest {

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (TensorFile.Format f : TensorFile.Format.values()) {
            for (DType d : List.of(DType.FLOAT64, DType.FLOAT32, DType.FLOAT16, DType.BFLOAT16)) {
                boolean npyLike = f == TensorFile.Format.NPY || f == TensorFile.Format.NPZ;
                if (!(npyLike && d == DType.BFLOAT16)) {
                    out.add(Arguments.of(f, d, false));
                    if (f == TensorFile.Format.NPZ) {
                        out.add(Arguments.of(f, d, true));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void roundTrip(TensorFile.Format format, DType dtype, boolean compress) throws IOException {
        long rows = 5;
        int c = 7;
        TensorWriter.RowSource src = (i, dst) -> {
            for (int j = 0; j < c; j++) {
                dst[j] = (i + 1) * 1.1 - j * 0.37;
            }
        };
        List<TensorWriter.Tensor> tensors = new ArrayList<>();
        tensors.add(new TensorWriter.Tensor("logits", dtype, new long[] {rows, c}, src));
        boolean multi = format == TensorFile.Format.NPZ || format == TensorFile.Format.SAFETENSORS;
        if (multi) {
            tensors.add(new TensorWriter.Tensor("labels", DType.INT64, new long[] {rows}, (i, dst) -> dst[0] = i % c));
        }
        Path p = dir.resolve("t." + format.id());
        TensorWriter.write(p, format, tensors, compress);
        RawLayout raw = format == TensorFile.Format.RAW ? new RawLayout(dtype, new long[] {rows, c}) : null;
        try (TensorFile f = TensorFile.open(p, raw)) {
            assertEquals(format, f.format());
            try (RowReader r = new RowReader(f.select(null, "logits", "--logits"))) {
                double[] got = new double[(int) rows * c];
                assertEquals(rows, r.read(got, 100));
                double[] row = new double[c];
                for (int i = 0; i < rows; i++) {
                    src.row(i, row);
                    for (int j = 0; j < c; j++) {
                        byte[] b = new byte[8];
                        dtype.encode(row[j], b, 0);
                        double[] expected = new double[1];
                        dtype.decode(b, 0, expected, 0, 1);
                        assertEquals(expected[0], got[i * c + j]);
                    }
                }
            }
            if (multi) {
                assertArrayEquals(new long[] {0, 1, 2, 3, 4},
                        RowReader.readIntegers(f.select(null, "labels", "--labels"), "--labels"));
            }
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(1, left.count(), "no temporary file is left behind");
        }
    }

    /**
     * A read of more than one chunk ({@link RowReader#CHUNK_BYTES}), in calls of several rows and of one, with the
     * chunk boundaries inside rows: every value lands at its place (fp32 in safetensors, fp16 through a deflated
     * npz stream).
     */
    @ParameterizedTest
    @MethodSource("chunkCases")
    void readsAcrossChunks(TensorFile.Format format, DType dtype, boolean compress) throws IOException {
        long rows = 3;
        int c = 300_001; // fp32 rows of 1.14 MiB, fp16 rows of 0.57 MiB: chunks end mid-row
        TensorWriter.RowSource src = (i, dst) -> {
            for (int j = 0; j < c; j++) {
                dst[j] = ((i * 7 + j) % 1000) * 0.5 - 250; // exact in fp16 and fp32
            }
        };
        Path p = dir.resolve("big." + format.id());
        TensorWriter.write(p, format, List.of(new TensorWriter.Tensor("logits", dtype, new long[] {rows, c}, src)),
                compress);
        double[] expected = new double[c];
        try (TensorFile f = TensorFile.open(p, null); RowReader r = new RowReader(f.select(null, "logits", "--logits"))) {
            double[] got = new double[2 * c];
            assertEquals(2, r.read(got, 2));
            for (int i = 0; i < 2; i++) {
                src.row(i, expected);
                for (int j = 0; j < c; j++) {
                    assertEquals(expected[j], got[i * c + j], "row " + i + ", class " + j);
                }
            }
            assertEquals(1, r.read(got, 2));
            src.row(2, expected);
            for (int j = 0; j < c; j++) {
                assertEquals(expected[j], got[j], "row 2, class " + j);
            }
            assertEquals(0, r.read(got, 2));
        }
    }

    static Stream<Arguments> chunkCases() {
        return Stream.of(Arguments.of(TensorFile.Format.SAFETENSORS, DType.FLOAT32, false),
                Arguments.of(TensorFile.Format.NPZ, DType.FLOAT16, true));
    }
}
