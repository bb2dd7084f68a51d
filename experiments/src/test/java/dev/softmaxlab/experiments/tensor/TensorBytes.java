package dev.softmaxlab.experiments.tensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds tensor files byte by byte for the reader tests, from the format specifications (NEP 1 for .npy, the
 * safetensors README), sharing no code with the readers and writers under test.
 */
final class TensorBytes {

    private TensorBytes() {
    }

    /** An .npy version 1.0 file: magic, version, header length, the dict text padded to 64 with '\n' last, data. */
    static byte[] npy(String descr, String shape, boolean fortran, byte[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': ("
                + shape + "), }";
        StringBuilder text = new StringBuilder(dict);
        while ((10 + text.length() + 1) % 64 != 0) {
            text.append(' ');
        }
        text.append('\n');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.write(text.length() & 0xFF);
        out.write(text.length() >> 8);
        out.writeBytes(text.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        return out.toByteArray();
    }

    static byte[] f32(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }

    static byte[] f64(double... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) {
            b.putDouble(x);
        }
        return b.array();
    }

    static byte[] i64(long... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            b.putLong(x);
        }
        return b.array();
    }

    static byte[] i32(int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) {
            b.putInt(x);
        }
        return b.array();
    }

    /** 16-bit patterns (fp16, bf16, int16), little-endian. */
    static byte[] u16(int... bits) {
        ByteBuffer b = ByteBuffer.allocate(2 * bits.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : bits) {
            b.putShort((short) x);
        }
        return b.array();
    }

    /** A safetensors file: 8-byte LE length of the header text (as given, unpadded), the text, the data. */
    static byte[] safetensors(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A zip of (name, bytes) pairs, each entry stored or deflated. */
    static byte[] zip(boolean deflate, Object... nameBytes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (int i = 0; i < nameBytes.length; i += 2) {
                byte[] content = (byte[]) nameBytes[i + 1];
                ZipEntry e = new ZipEntry((String) nameBytes[i]);
                if (!deflate) {
                    CRC32 crc = new CRC32();
                    crc.update(content);
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(content.length);
                    e.setCompressedSize(content.length);
                    e.setCrc(crc.getValue());
                }
                z.putNextEntry(e);
                z.write(content);
                z.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
