package dev.softmaxlab.experiments.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.softmaxlab.core.InvalidInputException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoundedInputTest {

    @TempDir
    Path dir;

    private static final InputLimits SMALL = new InputLimits(1000, 50);

    @Test
    void aSparseFileOverTheLimitIsRefusedFromItsSizeAtOnce() throws IOException {
        Path big = dir.resolve("sparse.csv");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(3L << 30); // 3 GiB, no blocks written
        }
        long t = System.nanoTime();
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> BoundedInput.readFile(big, "dataset 'csv:sparse.csv'"));
        assertTrue(System.nanoTime() - t < 5_000_000_000L, "refused without reading");
        assertTrue(e.getMessage().contains("256 MiB limit") && e.getMessage().contains("--max-file-size")
                && e.getMessage().contains("3 GiB"), e.getMessage());
    }

    @Test
    void anEndlessStreamIsReadOnlyUpToTheLimit() {
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.exists(zero), "/dev/zero");
        InputLimits before = InputLimits.current();
        try {
            InputLimits.use(new InputLimits(1 << 20, 1 << 20));
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> BoundedInput.readFile(zero, "--config /dev/zero"));
            assertTrue(e.getMessage().startsWith("--config /dev/zero is larger than the 1 MiB limit"), e.getMessage());
            assertTrue(e.getMessage().contains("--max-file-size 2m"), e.getMessage());
        } finally {
            InputLimits.use(before);
        }
    }

    @Test
    void aDirectoryIsNamedAsOne() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> BoundedInput.readText(dir, "spec " + dir));
        assertEquals("spec " + dir + " is a directory: give a file", e.getMessage());
    }

    @Test
    void binaryIsCalledBinaryAndLatin1IsCalledNotUtf8WithTheByte() {
        InvalidInputException binary = assertThrows(InvalidInputException.class,
                () -> BoundedInput.text(new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2}, "x.gz"));
        assertTrue(binary.getMessage().contains("looks binary"), binary.getMessage());
        InvalidInputException latin1 = assertThrows(InvalidInputException.class,
                () -> BoundedInput.text("{\"name\":\"caf\u00e9\"}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                        "spec s.json"));
        assertEquals("spec s.json is not UTF-8 text (byte 13): save it as UTF-8", latin1.getMessage());
    }

    @Test
    void aByteOrderMarkIsDropped() {
        assertEquals("{}", BoundedInput.text(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'}, "x"));
    }

    @Test
    void linesAreReadAsBufferedReaderReadsThemAndALongOneIsRefusedAtTheLimit() throws IOException {
        BoundedLines lines = new BoundedLines(new StringReader("a\r\nb\rc\n\nd"), SMALL, "--input x");
        for (String want : new String[] {"a", "b", "c", "", "d", null}) {
            assertEquals(want, lines.next());
        }
        BoundedLines longOne = new BoundedLines(new StringReader("ok\n" + "z".repeat(51) + "\n"), SMALL, "--input x");
        assertEquals("ok", longOne.next());
        InvalidInputException e = assertThrows(InvalidInputException.class, longOne::next);
        assertTrue(e.getMessage().startsWith("--input x line 2 is longer than the 50 chars limit"), e.getMessage());
        assertTrue(e.getMessage().contains("--max-line-size"), e.getMessage());
    }

    @Test
    void sizesParseWithUnitsAndRefuseNonsense() {
        assertEquals(512L << 20, InputLimits.parseSize("512m", "--max-file-size"));
        assertEquals(2L << 30, InputLimits.parseSize("2G", "--max-file-size"));
        assertEquals(64L << 10, InputLimits.parseSize("64KiB", "--max-file-size"));
        assertEquals(1000, InputLimits.parseSize("1000", "--max-file-size"));
        assertThrows(InvalidInputException.class, () -> InputLimits.parseSize("lots", "--max-file-size"));
        assertThrows(InvalidInputException.class, () -> InputLimits.parseSize("0", "--max-file-size"));
        assertThrows(InvalidInputException.class, () -> InputLimits.parseSize("99999999999g", "--max-file-size"));
        assertArrayEquals(new String[] {"2m", "1g"}, new String[] {InputLimits.flagValue(2 << 20),
            InputLimits.flagValue(1L << 30)});
    }
}
