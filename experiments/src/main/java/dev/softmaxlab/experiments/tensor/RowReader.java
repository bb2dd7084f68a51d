package dev.softmaxlab.experiments.tensor;

import dev.softmaxlab.core.InvalidInputException;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.ZipException;

/**
 * Streams a tensor as rows of its last dimension, [rows, columns] with the leading dimensions flattened
 * ([batch, seq, vocab] is read as [batch·seq, vocab]), converted to double in blocks of rows. Only one chunk of
 * {@link #CHUNK_BYTES} is held as bytes, so memory stays flat whatever the file size. Not thread-safe.
 */
public final class RowReader implements Closeable {

    /**
     * Bytes read and converted at a time: small enough to stay in the L2 cache between the read and the conversion
     * (a whole block of rows, tens of MiB, would be read to memory and fetched back), large enough that each read is
     * one system call's worth of work.
     */
    static final int CHUNK_BYTES = 1 << 20;

    private final TensorEntry entry;
    private final long rows;
    private final int columns;
    private final InputStream in;
    private byte[] buffer = new byte[0];
    private long rowsRead;

    /** Opens the entry's data; {@link #shapeOf} has checked its shape. */
    public RowReader(TensorEntry entry) throws IOException {
        long[] rc = shapeOf(entry);
        this.entry = entry;
        this.rows = rc[0];
        this.columns = (int) rc[1];
        this.in = entry.data().open();
    }

    /**
     * {rows, columns} of a tensor read as rows of its last dimension; a 1-d tensor is one row.
     *
     * @throws InvalidInputException for a 0-d tensor, an empty one, or a row longer than 2^31 - 1 values
     */
    public static long[] shapeOf(TensorEntry e) {
        long[] shape = e.shape();
        if (shape.length == 0) {
            throw new InvalidInputException(e.where() + " is a scalar: logits need a shape [N, C] or [..., C]");
        }
        long columns = shape[shape.length - 1];
        long rows = 1;
        for (int i = 0; i < shape.length - 1; i++) {
            rows = Math.multiplyExact(rows, shape[i]);
        }
        if (rows == 0 || columns == 0) {
            throw new InvalidInputException(e.where() + " " + e.shapeText() + " is empty: give at least one row "
                    + "and one class");
        }
        if (columns > Integer.MAX_VALUE / 8) {
            throw new InvalidInputException(e.where() + " " + e.shapeText() + ": rows of " + columns
                    + " values are too long; at most " + Integer.MAX_VALUE / 8 + " classes per row are read");
        }
        return new long[] {rows, columns};
    }

    public long rows() {
        return rows;
    }

    public int columns() {
        return columns;
    }

    /** Rows handed out so far. */
    public long rowsRead() {
        return rowsRead;
    }

    /**
     * Reads up to maxRows rows into dst[0 .. rows·columns), converted to double exactly.
     *
     * @return the number of rows read; 0 at the end
     * @throws InvalidInputException when the data ends before the header said (truncated file)
     */
    public int read(double[] dst, int maxRows) throws IOException {
        int n = (int) Math.min(maxRows, rows - rowsRead);
        if (n <= 0) {
            return 0;
        }
        int size = entry.dtype().size();
        int total = Math.multiplyExact(n, columns);
        int perChunk = CHUNK_BYTES / size;
        int first = Math.min(total, perChunk) * size;
        if (buffer.length < first) {
            buffer = new byte[first];
        }
        // chunk by chunk, so that the bytes are still in the cache when they are converted
        for (int done = 0; done < total; ) {
            int count = Math.min(perChunk, total - done);
            int bytes = count * size;
            int got;
            try {
                got = in.readNBytes(buffer, 0, bytes);
            } catch (ZipException | EOFException e) {
                throw truncated();
            }
            if (got < bytes) {
                throw truncated();
            }
            entry.dtype().decode(buffer, 0, dst, done, count);
            done += count;
        }
        rowsRead += n;
        return n;
    }

    private InvalidInputException truncated() {
        return new InvalidInputException(entry.where() + ": the data ends before the " + entry.shapeText() + " "
                + entry.dtype().id() + " its header declares: the file is truncated or damaged; write it again");
    }

    /**
     * All values of an integer tensor (labels), flattened.
     *
     * @throws InvalidInputException for a float tensor, or one too large to hold
     */
    public static long[] readIntegers(TensorEntry e, String option) throws IOException {
        if (!e.dtype().isInteger()) {
            throw new InvalidInputException(e.where() + " (" + option + ") is " + e.dtype().id() + ", not an integer "
                    + "tensor: labels are class indices; save them as int64 (y.long() / y.astype(np.int64))");
        }
        long n = e.elements();
        if (n > Integer.MAX_VALUE - 16) {
            throw new InvalidInputException(e.where() + ": " + n + " labels are more than this tool holds");
        }
        long[] out = new long[(int) n];
        int size = e.dtype().size();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = e.data().open()) {
            int i = 0;
            while (i < n) {
                int count = (int) Math.min(buf.length / size, n - i);
                int got;
                try {
                    got = in.readNBytes(buf, 0, count * size);
                } catch (ZipException | EOFException ex) {
                    got = -1;
                }
                if (got < count * size) {
                    throw new InvalidInputException(e.where() + ": the data ends before the " + e.shapeText() + " "
                            + e.dtype().id() + " its header declares: the file is truncated; write it again");
                }
                for (int k = 0; k < count; k++) {
                    out[i + k] = e.dtype().decodeLong(buf, k * size);
                }
                i += count;
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
