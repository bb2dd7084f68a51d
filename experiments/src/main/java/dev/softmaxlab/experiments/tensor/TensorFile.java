package dev.softmaxlab.experiments.tensor;

import dev.softmaxlab.core.InvalidInputException;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * An opened tensor file and its entries. The format is told by the file's first bytes, not its name: {@code \x93NUMPY}
 * is .npy, a zip is .npz (unless it holds a pickle: then it is a PyTorch file), an 8-byte length followed by
 * {@code {} is .safetensors; a raw file is read only when {@code --dtype} and {@code --shape} describe it.
 * Sizes are checked up front, so a truncated file is refused before any output.
 */
public final class TensorFile implements Closeable {

    /** The formats, as reports name them. */
    public enum Format {
        NPY("npy"), NPZ("npz"), SAFETENSORS("safetensors"), RAW("raw");

        private final String id;

        Format(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    private static final String PT_FIX = "PyTorch pickles are refused because loading a pickle runs code: save the "
            + "tensor with safetensors.torch.save_file({'logits': x}, 'logits.safetensors') or "
            + "np.save('logits.npy', x.float().numpy())";

    private final Path path;
    private final String file;
    private final Format format;
    private final long size;
    private final List<TensorEntry> entries;
    private final ZipFile zip;

    private TensorFile(Path path, String file, Format format, long size, List<TensorEntry> entries, ZipFile zip) {
        this.path = path;
        this.file = file;
        this.format = format;
        this.size = size;
        this.entries = List.copyOf(entries);
        this.zip = zip;
    }

    /**
     * Opens and checks a file.
     *
     * @param raw the layout of a raw file, or null to detect the format from the file's contents
     * @throws InvalidInputException for a missing, unreadable, truncated, unknown or refused file, naming it
     */
    public static TensorFile open(Path path, RawLayout raw) throws IOException {
        String file = path.toString();
        long size;
        try {
            if (Files.isDirectory(path)) {
                throw new InvalidInputException(file + " is a directory: give a tensor file (.npy, .npz, .safetensors)");
            }
            size = Files.size(path);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file + ": no such file: check the path");
        }
        String lower = file.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".pt") || lower.endsWith(".pth") || lower.endsWith(".ckpt") || lower.endsWith(".pkl")) {
            throw new InvalidInputException(file + ": " + PT_FIX);
        }
        if (raw != null) {
            return openRaw(path, file, size, raw);
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(path)) {
            head = in.readNBytes(16);
        } catch (AccessDeniedException e) {
            throw new InvalidInputException(file + ": permission denied: make the file readable");
        }
        if (startsWith(head, Npy.MAGIC)) {
            return openNpy(path, file, size);
        }
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && (head[2] == 3 || head[2] == 5)) {
            return openNpz(path, file, size);
        }
        if (head.length >= 2 && (head[0] & 0xFF) == 0x80 && head[1] >= 2 && head[1] <= 5) {
            throw new InvalidInputException(file + ": this is a Python pickle (torch.save). " + PT_FIX);
        }
        if (head.length >= 9 && head[8] == '{') {
            return new TensorFile(path, file, Format.SAFETENSORS, size, Safetensors.read(path, file, size), null);
        }
        throw new InvalidInputException(file + ": not a tensor file this tool reads (no .npy, .npz or .safetensors "
                + "header): save it with np.save or safetensors, or for raw little-endian data give --dtype and --shape");
    }

    /**
     * Whether the file starts like a tensor file (.npy magic, a zip, or a plausible safetensors header), so a command
     * that also takes text (probe --input) can tell the two apart. A .pt name counts, so that it gets refused.
     */
    public static boolean looksLikeTensorFile(Path path) {
        String lower = path.toString().toLowerCase(Locale.ROOT);
        if (lower.endsWith(".npy") || lower.endsWith(".npz") || lower.endsWith(".safetensors") || lower.endsWith(".pt")
                || lower.endsWith(".pth")) {
            return true;
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] head = in.readNBytes(9);
            if (startsWith(head, Npy.MAGIC) || (head.length >= 4 && head[0] == 'P' && head[1] == 'K')) {
                return true;
            }
            if (head.length == 9 && head[8] == '{') {
                long n = java.nio.ByteBuffer.wrap(head, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
                return n > 0 && n <= Files.size(path) - 8;
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean startsWith(byte[] a, byte[] prefix) {
        if (a.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (a[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static TensorFile openRaw(Path path, String file, long size, RawLayout raw) {
        TensorEntry e = new TensorEntry(file, null, raw.dtype(), raw.shape(), () -> positioned(path, 0));
        if (e.dataBytes() != size) {
            throw new InvalidInputException(file + ": --dtype " + raw.dtype().id() + " --shape "
                    + e.shapeText().replaceAll("[\\[\\] ]", "") + " needs " + e.dataBytes() + " bytes but the file "
                    + (size < e.dataBytes() ? "holds only " : "holds ") + size + ": check --dtype and --shape, or the "
                    + "file is truncated");
        }
        return new TensorFile(path, file, Format.RAW, size, List.of(e), null);
    }

    private static TensorFile openNpy(Path path, String file, long size) throws IOException {
        Npy.Header h;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 4096)) {
            h = Npy.readHeader(in, file);
        }
        TensorEntry e = new TensorEntry(file, null, h.dtype(), h.shape(), () -> positioned(path, h.headerBytes()));
        checkHolds(e, size - h.headerBytes(), file);
        return new TensorFile(path, file, Format.NPY, size, List.of(e), null);
    }

    private static void checkHolds(TensorEntry e, long available, String where) {
        if (e.dataBytes() > available) {
            throw new InvalidInputException(where + ": the header says " + e.dtype().id() + " " + e.shapeText() + " = "
                    + e.dataBytes() + " bytes of data but the file holds " + available + ": the file is truncated; "
                    + "write it again");
        }
    }

    private static TensorFile openNpz(Path path, String file, long size) throws IOException {
        ZipFile zip;
        try {
            zip = new ZipFile(path.toFile());
        } catch (ZipException | java.io.EOFException e) {
            // EOFException: a zip shorter than its own end record (found by TensorFileFuzzTest)
            throw new InvalidInputException(file + ": a damaged or truncated zip (.npz): its directory cannot be read; "
                    + "write it again with np.savez");
        }
        try {
            List<TensorEntry> entries = new ArrayList<>();
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                ZipEntry z = en.nextElement();
                String n = z.getName();
                if (n.endsWith(".pkl") || n.endsWith("/version") && n.contains("archive")) {
                    throw new InvalidInputException(file + ": this is a PyTorch zip archive (torch.save). " + PT_FIX);
                }
                if (z.isDirectory() || !n.endsWith(".npy")) {
                    continue;
                }
                String name = n.substring(0, n.length() - 4);
                String where = file + " entry '" + name + "'";
                Npy.Header h;
                try (InputStream in = zip.getInputStream(z)) {
                    h = Npy.readHeader(in, where);
                } catch (ZipException | java.io.EOFException ex) {
                    throw new InvalidInputException(where + ": a damaged or truncated zip entry: write the .npz again");
                }
                TensorEntry e = new TensorEntry(file, name, h.dtype(), h.shape(), () -> {
                    InputStream in = zip.getInputStream(z);
                    in.skipNBytes(h.headerBytes());
                    return in;
                });
                if (z.getSize() >= 0) {
                    checkHolds(e, z.getSize() - h.headerBytes(), where);
                }
                entries.add(e);
            }
            if (entries.isEmpty()) {
                throw new InvalidInputException(file + ": a zip without any .npy entry: save arrays with "
                        + "np.savez('x.npz', logits=z, labels=y)");
            }
            return new TensorFile(path, file, Format.NPZ, size, entries, zip);
        } catch (RuntimeException | IOException e) {
            zip.close();
            throw e;
        }
    }

    private static InputStream positioned(Path path, long offset) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        ch.position(offset);
        return Channels.newInputStream(ch);
    }

    public Path path() {
        return path;
    }

    /** The file's name as given. */
    public String file() {
        return file;
    }

    public Format format() {
        return format;
    }

    /** The file's size in bytes. */
    public long size() {
        return size;
    }

    public List<TensorEntry> entries() {
        return entries;
    }

    /** The entries' names, for messages. */
    public List<String> names() {
        return entries.stream().map(e -> e.name() == null ? "(unnamed)" : e.name()).toList();
    }

    /**
     * The entry for a role: the one named {@code name} when given; otherwise the only entry, or the one named
     * {@code defaultName}.
     *
     * @param option the flag that names it, for messages ({@code --logits})
     * @throws InvalidInputException listing the names that are there
     */
    public TensorEntry select(String name, String defaultName, String option) {
        if (name != null) {
            for (TensorEntry e : entries) {
                if (name.equals(e.name())) {
                    return e;
                }
            }
            throw new InvalidInputException(file + " has no entry '" + name + "' (" + option + "): it holds "
                    + String.join(", ", names()));
        }
        if (entries.size() == 1) {
            return entries.get(0);
        }
        return find(defaultName).orElseThrow(() -> new InvalidInputException(file + " holds " + entries.size()
                + " tensors (" + String.join(", ", names()) + ") and none is named '" + defaultName + "': choose one with "
                + option + " NAME"));
    }

    /** The entry named so, if any. */
    public java.util.Optional<TensorEntry> find(String name) {
        return entries.stream().filter(e -> name.equals(e.name())).findFirst();
    }

    @Override
    public void close() throws IOException {
        if (zip != null) {
            zip.close();
        }
    }
}
