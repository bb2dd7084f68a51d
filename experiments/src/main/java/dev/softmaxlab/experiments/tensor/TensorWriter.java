package dev.softmaxlab.experiments.tensor;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.report.AtomicFiles;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes tensors whose values come row by row from a deterministic source, in any of the formats the readers take,
 * atomically (a complete file or none). Only one row is held at a time.
 */
public final class TensorWriter {

    /** Fills one row (the last dimension) of a tensor; must give the same values every time it is asked. */
    @FunctionalInterface
    public interface RowSource {
        void row(long index, double[] dst);
    }

    /**
     * One tensor to write.
     *
     * @param name  the entry name (npz, safetensors)
     * @param dtype the stored type
     * @param shape the dimensions; rows of the last one come from {@code rows} (a 1-d tensor: one value per row)
     */
    public record Tensor(String name, DType dtype, long[] shape, RowSource rows) {
        long columns() {
            return shape.length <= 1 ? 1 : shape[shape.length - 1];
        }

        long rowCount() {
            long n = 1;
            for (int i = 0; i < (shape.length <= 1 ? shape.length : shape.length - 1); i++) {
                n *= shape[i];
            }
            return n;
        }

        long bytes() {
            return rowCount() * columns() * dtype.size();
        }
    }

    private TensorWriter() {
    }

    /**
     * Writes the tensors to one file. npy and raw hold exactly one tensor; npz stores its entries uncompressed
     * (as np.savez) or deflated (as np.savez_compressed).
     */
    public static void write(Path target, TensorFile.Format format, List<Tensor> tensors, boolean compress)
            throws IOException {
        if ((format == TensorFile.Format.NPY || format == TensorFile.Format.RAW) && tensors.size() != 1) {
            throw new IllegalArgumentException(format.id() + " holds one tensor, not " + tensors.size());
        }
        for (Tensor t : tensors) {
            if (format == TensorFile.Format.NPY || format == TensorFile.Format.NPZ) {
                if (t.dtype().npyDescr() == null) {
                    throw new InvalidInputException("--dtype " + t.dtype().id() + " cannot be stored in ." + format.id()
                            + " (numpy has no bfloat16): write .safetensors or raw instead");
                }
            }
        }
        AtomicFiles.write(target, os -> {
            OutputStream out = new BufferedOutputStream(os, 1 << 16);
            switch (format) {
                case NPY -> {
                    Tensor t = tensors.get(0);
                    out.write(Npy.header(t.dtype(), t.shape()));
                    data(t, out);
                }
                case RAW -> data(tensors.get(0), out);
                case SAFETENSORS -> {
                    out.write(Safetensors.header(tensors.stream().map(Tensor::name).toList(),
                            tensors.stream().map(Tensor::dtype).toList(),
                            tensors.stream().map(Tensor::shape).toList()));
                    for (Tensor t : tensors) {
                        data(t, out);
                    }
                }
                case NPZ -> npz(tensors, out, compress);
            }
            out.flush();
        });
    }

    private static void npz(List<Tensor> tensors, OutputStream out, boolean compress) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.setLevel(Deflater.BEST_SPEED);
        for (Tensor t : tensors) {
            ZipEntry e = new ZipEntry(t.name() + ".npy");
            byte[] header = Npy.header(t.dtype(), t.shape());
            if (compress) {
                e.setMethod(ZipEntry.DEFLATED);
            } else {
                // a stored entry declares its size and CRC first: one pass to compute them (the source is
                // deterministic), one to write
                CRC32 crc = new CRC32();
                crc.update(header);
                data(t, new OutputStream() {
                    @Override
                    public void write(int b) {
                        crc.update(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        crc.update(b, off, len);
                    }
                });
                e.setMethod(ZipEntry.STORED);
                e.setSize(header.length + t.bytes());
                e.setCompressedSize(header.length + t.bytes());
                e.setCrc(crc.getValue());
            }
            zip.putNextEntry(e);
            zip.write(header);
            data(t, zip);
            zip.closeEntry();
        }
        zip.finish();
    }

    private static void data(Tensor t, OutputStream out) throws IOException {
        int columns = (int) t.columns();
        double[] row = new double[columns];
        byte[] bytes = new byte[columns * t.dtype().size()];
        long rows = t.rowCount();
        for (long i = 0; i < rows; i++) {
            t.rows().row(i, row);
            for (int j = 0; j < columns; j++) {
                t.dtype().encode(row[j], bytes, j * t.dtype().size());
            }
            out.write(bytes);
        }
    }
}
