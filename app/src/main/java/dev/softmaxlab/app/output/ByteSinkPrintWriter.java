package dev.softmaxlab.app.output;

import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * A UTF-8 {@link PrintWriter} that also hands out the byte stream beneath it, so that bulk output (gigabytes of JSON
 * Lines) is written as bytes without a round trip through chars. {@link dev.softmaxlab.app.App#main} wraps stdout in
 * one; tests pass a plain {@code PrintWriter} and get the char path.
 *
 * <p>A failure of the stream beneath (a full disk, a closed stdout, a reader gone) is thrown from the byte view as a
 * {@link StdoutFailure} and remembered ({@link #failure()}), since a PrintWriter's own methods swallow it, so that
 * the command can say in one line that stdout could not be written, not call it an internal error.
 */
public final class ByteSinkPrintWriter extends PrintWriter {

    private final Marking bytes;

    public ByteSinkPrintWriter(OutputStream bytes) {
        this(new Marking(bytes));
    }

    private ByteSinkPrintWriter(Marking bytes) {
        super(new BufferedWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), 1 << 16), true);
        this.bytes = bytes;
    }

    /** The stream beneath; call {@link #flush()} before writing to it so chars and bytes stay in order. */
    public OutputStream byteStream() {
        return bytes;
    }

    /** The first failure of the stream beneath, or null. */
    public StdoutFailure failure() {
        return bytes.failure;
    }

    /** Marks every failure of the stream as a {@link StdoutFailure}. */
    private static final class Marking extends FilterOutputStream {
        private volatile StdoutFailure failure;

        Marking(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw fail(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw fail(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw fail(e);
            }
        }

        private StdoutFailure fail(IOException e) {
            StdoutFailure f = e instanceof StdoutFailure s ? s : new StdoutFailure(e);
            if (failure == null) {
                failure = f;
            }
            return f;
        }
    }
}
