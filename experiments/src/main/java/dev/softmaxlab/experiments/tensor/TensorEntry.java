package dev.softmaxlab.experiments.tensor;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * One tensor in a file: its name (null for a file that holds one unnamed tensor: .npy, raw), dtype and shape, and how
 * to stream its data. The data is always C order, little-endian, {@link #dataBytes()} long.
 *
 * @param file  the file's name as the user gave it, for messages
 * @param name  the entry's name in an .npz or .safetensors file, or null
 * @param dtype the element type
 * @param shape the dimensions, outermost first (a 0-d scalar has none)
 * @param data  opens a stream positioned at the first data byte
 */
public record TensorEntry(String file, String name, DType dtype, long[] shape, Opener data) {

    /** Opens a stream over an entry's data. */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }

    public TensorEntry {
        shape = shape.clone();
    }

    /** The product of the dimensions. */
    public long elements() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public long dataBytes() {
        return Math.multiplyExact(elements(), (long) dtype.size());
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** e.g. {@code logits.npz entry 'labels'}, or the file name alone. */
    public String where() {
        return name == null ? file : file + " entry '" + name + "'";
    }

    /** e.g. {@code [4, 10]}. */
    public String shapeText() {
        return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", ", "[", "]"));
    }
}
