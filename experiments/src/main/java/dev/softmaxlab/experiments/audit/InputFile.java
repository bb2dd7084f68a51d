package dev.softmaxlab.experiments.audit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A file a report was computed from: its name as given, its size and its SHA-256, so a report names its data.
 *
 * @param name   the path as the user gave it
 * @param bytes  the size in bytes
 * @param sha256 lowercase hex
 */
public record InputFile(String name, long bytes, String sha256) {

    /** Hashes the whole file (streamed, 1 MiB at a time). */
    public static InputFile of(Path path) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        byte[] buf = new byte[1 << 20];
        long total = 0;
        try (InputStream in = Files.newInputStream(path)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
                total += n;
            }
        }
        return new InputFile(path.toString(), total, HexFormat.of().formatHex(md.digest()));
    }
}
