package dev.softmaxlab.app.output;

import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * A UTF-8 {@link PrintWriter} that also hands out the byte stream beneath it, so that bulk output (gigabytes of JSON
 * Lines) is written as bytes without a round trip through chars. {@link dev.softmaxlab.app.App#main} wraps stdout in
 * one; tests pass a plain {@code PrintWriter} and get the char path.
 */
public final class ByteSinkPrintWriter extends PrintWriter {

    private final OutputStream bytes;

    public ByteSinkPrintWriter(OutputStream bytes) {
        super(new BufferedWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), 1 << 16), true);
        this.bytes = bytes;
    }

    /** The stream beneath; call {@link #flush()} before writing to it so chars and bytes stay in order. */
    public OutputStream byteStream() {
        return bytes;
    }
}
