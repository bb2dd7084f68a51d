package dev.softmaxlab.experiments.tensor;

import dev.softmaxlab.core.InvalidInputException;

import java.util.Arrays;

/**
 * How to read a raw little-endian file, which carries no header: {@code --dtype} and {@code --shape}.
 *
 * @param dtype the element type
 * @param shape the dimensions, outermost first
 */
public record RawLayout(DType dtype, long[] shape) {

    public RawLayout {
        shape = shape.clone();
    }

    /** Parses {@code --shape} text such as {@code 4096,131072} or {@code 8x512x32000}. */
    public static long[] parseShape(String text) {
        String[] parts = text.trim().split("[,x×]");
        long[] shape = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                shape[i] = Long.parseLong(parts[i].trim());
            } catch (NumberFormatException e) {
                shape[i] = -1;
            }
            if (shape[i] < 1) {
                throw new InvalidInputException("--shape " + text + ": '" + parts[i].trim() + "' is not a positive "
                        + "integer: give the dimensions as N,C or B,T,C, e.g. --shape 4096,32000");
            }
        }
        return shape;
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public String toString() {
        return dtype.id() + " " + Arrays.toString(shape);
    }
}
