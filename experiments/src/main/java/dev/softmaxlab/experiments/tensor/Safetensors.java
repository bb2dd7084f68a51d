package dev.softmaxlab.experiments.tensor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.report.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The .safetensors format (Hugging Face): an 8-byte little-endian unsigned header length n, n bytes of UTF-8 JSON
 * mapping each tensor's name to {@code {"dtype": "F32", "shape": [4, 10], "data_offsets": [begin, end]}} (offsets
 * relative to the end of the header), an optional {@code "__metadata__"} object, then the data, C order,
 * little-endian. Offsets must lie inside the data, match dtype × shape, and not overlap.
 */
final class Safetensors {

    private static final String METADATA = "__metadata__";

    private Safetensors() {
    }

    /** The entries of a .safetensors file, checked against the file's size. */
    static List<TensorEntry> read(Path path, String file, long fileSize) throws IOException {
        byte[] header;
        long n;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0, file);
            n = len.getLong(0);
            if (n < 2 || n > fileSize - 8) {
                throw new InvalidInputException(file + ": the safetensors header length is " + Long.toUnsignedString(n)
                        + " bytes but the file holds " + (fileSize - 8) + " after the length: the file is truncated "
                        + "or damaged; write it again");
            }
            if (n > 100L << 20) {
                throw new InvalidInputException(file + ": the safetensors header length " + n
                        + " is over 100 MiB: the file is damaged; write it again");
            }
            ByteBuffer h = ByteBuffer.allocate((int) n);
            readFully(ch, h, 8, file);
            header = h.array();
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(new String(header, StandardCharsets.UTF_8).stripTrailing());
        } catch (IOException e) {
            throw new InvalidInputException(file + ": the safetensors header is not valid JSON: the file is damaged "
                    + "or not safetensors; write it with safetensors.torch.save_file or safetensors.numpy.save_file");
        }
        if (!(root instanceof ObjectNode)) {
            throw new InvalidInputException(file + ": the safetensors header is not a JSON object: write the file "
                    + "again with safetensors.torch.save_file");
        }
        long dataStart = 8 + n;
        long dataSize = fileSize - dataStart;
        List<TensorEntry> entries = new ArrayList<>();
        List<long[]> spans = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (name.equals(METADATA)) {
                continue;
            }
            String where = file + " entry '" + name + "'";
            JsonNode t = e.getValue();
            JsonNode dt = t.get("dtype");
            JsonNode sh = t.get("shape");
            JsonNode off = t.get("data_offsets");
            if (dt == null || !dt.isTextual() || sh == null || !sh.isArray() || off == null || !off.isArray()
                    || off.size() != 2 || !off.get(0).canConvertToExactIntegral() || !off.get(1).canConvertToExactIntegral()) {
                throw new InvalidInputException(where + ": needs \"dtype\", \"shape\" and \"data_offsets\" [begin, end] "
                        + "in the safetensors header: the file is damaged; write it again");
            }
            DType dtype = DType.fromSafetensorsName(dt.asText());
            if (dtype == null) {
                throw new InvalidInputException(where + ": unknown dtype '" + dt.asText() + "': logits must be F64, "
                        + "F32, F16 or BF16, labels I64, I32, I16 or U8; convert with .to(torch.float32)");
            }
            long[] shape = new long[sh.size()];
            for (int i = 0; i < shape.length; i++) {
                JsonNode d = sh.get(i);
                if (!d.canConvertToExactIntegral() || d.asLong() < 0) {
                    throw new InvalidInputException(where + ": shape " + sh + " is not a list of non-negative integers:"
                            + " the file is damaged; write it again");
                }
                shape[i] = d.asLong();
            }
            long begin = off.get(0).asLong();
            long end = off.get(1).asLong();
            TensorEntry entry = new TensorEntry(file, name, dtype, shape,
                    () -> positioned(path, dataStart + begin));
            if (begin < 0 || end < begin || end > dataSize) {
                throw new InvalidInputException(where + ": data_offsets [" + begin + ", " + end + "] lie outside the "
                        + dataSize + " data bytes the file holds: the file is truncated or damaged; write it again");
            }
            if (end - begin != entry.dataBytes()) {
                throw new InvalidInputException(where + ": data_offsets [" + begin + ", " + end + "] span "
                        + (end - begin) + " bytes but " + dtype.safetensorsName() + " " + entry.shapeText() + " needs "
                        + entry.dataBytes() + ": the file is damaged; write it again");
            }
            spans.add(new long[] {begin, end, entries.size()});
            entries.add(entry);
        }
        spans.sort(Comparator.comparingLong((long[] s) -> s[0]).thenComparingLong(s -> s[1]));
        for (int i = 1; i < spans.size(); i++) {
            long[] a = spans.get(i - 1);
            long[] b = spans.get(i);
            if (b[0] < a[1]) {
                throw new InvalidInputException(file + ": entries '" + entries.get((int) a[2]).name() + "' and '"
                        + entries.get((int) b[2]).name() + "' overlap (data_offsets [" + a[0] + ", " + a[1] + "] and ["
                        + b[0] + ", " + b[1] + "]): the file is damaged; write it again");
            }
        }
        return entries;
    }

    private static java.io.InputStream positioned(Path path, long offset) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        ch.position(offset);
        return Channels.newInputStream(ch);
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long at, String file) throws IOException {
        long pos = at;
        while (b.hasRemaining()) {
            int r = ch.read(b, pos);
            if (r < 0) {
                throw new InvalidInputException(file + ": truncated safetensors file: it ends inside its header; "
                        + "write it again");
            }
            pos += r;
        }
    }

    /**
     * The header of a file holding the given tensors back to back in that order, padded with spaces to a multiple of
     * 8 bytes as the reference implementation does; includes the 8-byte length.
     */
    static byte[] header(List<String> names, List<DType> dtypes, List<long[]> shapes) {
        ObjectNode root = Json.mapper().createObjectNode();
        long offset = 0;
        for (int i = 0; i < names.size(); i++) {
            long bytes = dtypes.get(i).size();
            for (long d : shapes.get(i)) {
                bytes *= d;
            }
            ObjectNode t = root.putObject(names.get(i));
            t.put("dtype", dtypes.get(i).safetensorsName());
            var sh = t.putArray("shape");
            for (long d : shapes.get(i)) {
                sh.add(d);
            }
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer b = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded);
        b.put(json);
        while (b.hasRemaining()) {
            b.put((byte) ' ');
        }
        return b.array();
    }
}
