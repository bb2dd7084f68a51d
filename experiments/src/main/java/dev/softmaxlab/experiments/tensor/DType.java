package dev.softmaxlab.experiments.tensor;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.core.precision.Fp16;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The element types the readers and writers know, all little-endian. The id is what {@code --dtype} takes and reports
 * print; the npy descr and the safetensors name are the files' own spellings.
 */
public enum DType {
    FLOAT64("float64", 8, "<f8", "F64", false),
    FLOAT32("float32", 4, "<f4", "F32", false),
    FLOAT16("float16", 2, "<f2", "F16", false),
    BFLOAT16("bfloat16", 2, null, "BF16", false),
    INT64("int64", 8, "<i8", "I64", true),
    INT32("int32", 4, "<i4", "I32", true),
    INT16("int16", 2, "<i2", "I16", true),
    UINT8("uint8", 1, "|u1", "U8", true);

    private static final VarHandle F64 = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle F32 = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    /** Every fp16 bit pattern's value: 64 Ki doubles (512 KiB), built on first use. Java 17 has no float16 cast. */
    private static final class Fp16Table {
        static final double[] VALUES = new double[1 << 16];

        static {
            for (int b = 0; b < VALUES.length; b++) {
                VALUES[b] = Fp16.fromBits((short) b);
            }
        }
    }

    private final String id;
    private final int size;
    private final String npyDescr;
    private final String safetensorsName;
    private final boolean integer;

    DType(String id, int size, String npyDescr, String safetensorsName, boolean integer) {
        this.id = id;
        this.size = size;
        this.npyDescr = npyDescr;
        this.safetensorsName = safetensorsName;
        this.integer = integer;
    }

    public String id() {
        return id;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }

    public boolean isInteger() {
        return integer;
    }

    /** The npy descr, e.g. {@code <f4}; null for bfloat16, which numpy has no descr for. */
    public String npyDescr() {
        return npyDescr;
    }

    /** The safetensors dtype name, e.g. {@code F32}. */
    public String safetensorsName() {
        return safetensorsName;
    }

    /** A {@code --dtype} value: the id, or the short names fp64, fp32, fp16, bf16, f64, f32, f16, i64, i32, i16, u8. */
    public static DType fromId(String value) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        for (DType d : values()) {
            if (d.id.equals(v) || d.safetensorsName.toLowerCase(java.util.Locale.ROOT).equals(v)) {
                return d;
            }
        }
        switch (v) {
            case "fp64", "double" -> {
                return FLOAT64;
            }
            case "fp32", "float" -> {
                return FLOAT32;
            }
            case "fp16", "half" -> {
                return FLOAT16;
            }
            case "bf16" -> {
                return BFLOAT16;
            }
            default -> throw new InvalidInputException("unknown dtype '" + value + "': expected one of "
                    + Arrays.stream(values()).map(DType::id).collect(Collectors.joining(", ")));
        }
    }

    /** The dtype of an npy descr; null when it is not one of ours (the caller names the file in its message). */
    static DType fromNpyDescr(String descr) {
        String d = descr.equals("<u1") ? "|u1" : descr;
        for (DType t : values()) {
            if (d.equals(t.npyDescr)) {
                return t;
            }
        }
        return null;
    }

    /** The dtype of a safetensors name; null when it is not one of ours. */
    static DType fromSafetensorsName(String name) {
        for (DType t : values()) {
            if (t.safetensorsName.equals(name)) {
                return t;
            }
        }
        return null;
    }

    /**
     * Converts count elements at src[from..] to doubles at dst[to..], exactly (every value of every dtype here is a
     * double; int64 beyond 2^53 rounds, which never matters for labels).
     */
    public void decode(byte[] src, int from, double[] dst, int to, int count) {
        switch (this) {
            case FLOAT64 -> {
                for (int i = 0; i < count; i++) {
                    dst[to + i] = (double) F64.get(src, from + 8 * i);
                }
            }
            case FLOAT32 -> {
                for (int i = 0; i < count; i++) {
                    dst[to + i] = (float) F32.get(src, from + 4 * i);
                }
            }
            case FLOAT16 -> {
                double[] table = Fp16Table.VALUES;
                for (int i = 0; i < count; i++) {
                    dst[to + i] = table[((short) I16.get(src, from + 2 * i)) & 0xFFFF];
                }
            }
            case BFLOAT16 -> {
                for (int i = 0; i < count; i++) {
                    dst[to + i] = Float.intBitsToFloat((((short) I16.get(src, from + 2 * i)) & 0xFFFF) << 16);
                }
            }
            case INT64 -> {
                for (int i = 0; i < count; i++) {
                    dst[to + i] = (long) I64.get(src, from + 8 * i);
                }
            }
            case INT32 -> {
                for (int i = 0; i < count; i++) {
                    dst[to + i] = (int) I32.get(src, from + 4 * i);
                }
            }
            case INT16 -> {
                for (int i = 0; i < count; i++) {
                    dst[to + i] = (short) I16.get(src, from + 2 * i);
                }
            }
            case UINT8 -> {
                for (int i = 0; i < count; i++) {
                    dst[to + i] = src[from + i] & 0xFF;
                }
            }
        }
    }

    /** The integer at src[from], for an integer dtype. */
    long decodeLong(byte[] src, int from) {
        return switch (this) {
            case INT64 -> (long) I64.get(src, from);
            case INT32 -> (int) I32.get(src, from);
            case INT16 -> (short) I16.get(src, from);
            case UINT8 -> src[from] & 0xFF;
            default -> throw new IllegalStateException(id + " is not an integer dtype");
        };
    }

    /**
     * Writes x as this dtype at dst[at]: floats rounded to nearest even (bf16 and fp16 directly from the double),
     * integers as given (the caller keeps them in range).
     */
    public void encode(double x, byte[] dst, int at) {
        switch (this) {
            case FLOAT64 -> F64.set(dst, at, x);
            case FLOAT32 -> F32.set(dst, at, (float) x);
            case FLOAT16 -> I16.set(dst, at, Fp16.bits(x));
            case BFLOAT16 -> I16.set(dst, at, dev.softmaxlab.core.precision.Bf16.bits(x));
            case INT64 -> I64.set(dst, at, (long) x);
            case INT32 -> I32.set(dst, at, (int) x);
            case INT16 -> I16.set(dst, at, (short) x);
            case UINT8 -> dst[at] = (byte) (long) x;
        }
    }

    @Override
    public String toString() {
        return id;
    }
}
