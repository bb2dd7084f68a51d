package dev.softmaxlab.experiments.tensor;

import dev.softmaxlab.core.InvalidInputException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The .npy format (numpy's NEP 1): the magic {@code \x93NUMPY}, a version byte pair, a little-endian header length
 * (2 bytes in version 1, 4 in versions 2 and 3), an ASCII Python dict literal
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (4, 10), }} padded to a multiple of 64 bytes with spaces
 * and a newline, then the raw data.
 *
 * <p>Fortran order is refused unless at most one dimension exceeds 1 (then both orders lay the data out alike): rows
 * of a column-major [N, C] array are not contiguous, so it cannot be streamed row by row.
 */
final class Npy {

    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** A parsed header; headerBytes is the offset of the data from the start of the .npy. */
    record Header(DType dtype, long[] shape, long headerBytes) {
    }

    private Npy() {
    }

    /** Reads and checks the header from the start of an .npy stream, leaving the stream at the first data byte. */
    static Header readHeader(InputStream in, String where) throws IOException {
        byte[] fixed = in.readNBytes(10);
        if (fixed.length < 8) {
            throw new InvalidInputException(where + ": truncated .npy: the file ends inside its header; write it again");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (fixed[i] != MAGIC[i]) {
                throw new InvalidInputException(where + ": not an .npy file (no \\x93NUMPY magic): save it with np.save");
            }
        }
        int major = fixed[6] & 0xFF;
        long length;
        int prefix;
        if (major == 1) {
            if (fixed.length < 10) {
                throw new InvalidInputException(where + ": truncated .npy: the file ends inside its header; write it again");
            }
            length = (fixed[8] & 0xFF) | (fixed[9] & 0xFF) << 8;
            prefix = 10;
        } else if (major == 2 || major == 3) {
            byte[] more = in.readNBytes(2);
            if (fixed.length < 10 || more.length < 2) {
                throw new InvalidInputException(where + ": truncated .npy: the file ends inside its header; write it again");
            }
            length = (fixed[8] & 0xFFL) | (fixed[9] & 0xFFL) << 8 | (more[0] & 0xFFL) << 16 | (more[1] & 0xFFL) << 24;
            prefix = 12;
        } else {
            throw new InvalidInputException(where + ": .npy format version " + major + " is not supported: "
                    + "versions 1 to 3 are (np.save writes them)");
        }
        if (length > 1 << 20) {
            throw new InvalidInputException(where + ": .npy header length " + length + " is implausible (over 1 MiB): "
                    + "the file is damaged; write it again");
        }
        byte[] text = in.readNBytes((int) length);
        if (text.length < length) {
            throw new InvalidInputException(where + ": truncated .npy: the header says " + length
                    + " bytes but the file ends after " + text.length + "; write it again");
        }
        return parseDict(new String(text, StandardCharsets.ISO_8859_1), where, prefix + length);
    }

    private static Header parseDict(String dict, String where, long headerBytes) {
        Matcher d = DESCR.matcher(dict);
        Matcher f = FORTRAN.matcher(dict);
        Matcher s = SHAPE.matcher(dict);
        if (!d.find() || !f.find() || !s.find()) {
            throw new InvalidInputException(where + ": the .npy header is not a dict with 'descr', 'fortran_order' and "
                    + "'shape': the file is damaged or not written by numpy; write it again with np.save");
        }
        String descr = d.group(1);
        DType dtype = DType.fromNpyDescr(descr);
        if (dtype == null) {
            throw new InvalidInputException(where + ": unknown dtype '" + descr + "': logits must be little-endian "
                    + "float64, float32 or float16 (<f8, <f4, <f2), labels int64, int32, int16 or uint8; "
                    + "convert with x.astype(np.float32)");
        }
        List<Long> dims = new ArrayList<>();
        for (String part : s.group(1).split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            try {
                long v = Long.parseLong(p.endsWith("L") ? p.substring(0, p.length() - 1) : p);
                if (v < 0) {
                    throw new NumberFormatException();
                }
                dims.add(v);
            } catch (NumberFormatException e) {
                throw new InvalidInputException(where + ": .npy shape (" + s.group(1) + ") is not a tuple of "
                        + "non-negative integers: the file is damaged; write it again");
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        if (f.group(1).equals("True")) {
            int big = 0;
            for (long dim : shape) {
                big += dim > 1 ? 1 : 0;
            }
            if (big > 1) {
                throw new InvalidInputException(where + ": Fortran-order (column-major) .npy cannot be read row by row:"
                        + " save it in C order with np.save(f, np.ascontiguousarray(x))");
            }
        }
        return new Header(dtype, shape, headerBytes);
    }

    /** The header of a C-order array, padded so the data starts at a multiple of 64 (version 1, or 2 if needed). */
    static byte[] header(DType dtype, long[] shape) {
        if (dtype.npyDescr() == null) {
            throw new InvalidInputException(".npy has no dtype for " + dtype.id() + ": numpy cannot store it; "
                    + "write .safetensors (BF16) or raw instead");
        }
        StringBuilder sh = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            sh.append(shape[i]).append(shape.length == 1 ? "," : i + 1 < shape.length ? ", " : "");
        }
        String dict = "{'descr': '" + dtype.npyDescr() + "', 'fortran_order': False, 'shape': (" + sh + "), }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String text = dict + " ".repeat(pad) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(MAGIC);
        out.write(1);
        out.write(0);
        out.write(text.length() & 0xFF);
        out.write(text.length() >>> 8);
        out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }
}
