package dev.softmaxlab.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softmaxlab.experiments.report.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuditCommandTest {

    @TempDir
    Path dir;

    private String p(String name) {
        return dir.resolve(name).toString();
    }

    /** Exit 2, one line on stderr containing the words, nothing on stdout, and no file other than the inputs. */
    private void assertBadInput(CliRun r, String words) throws IOException {
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(words), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertEquals("", r.out());
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("out")
                    || f.getFileName().toString().endsWith(".tmp")), "nothing written");
        }
    }

    @Test
    void logitsIsDeterministicForASeed() throws IOException {
        assertEquals(0, CliRun.of("logits", "-o", p("a.safetensors"), "--shape", "8,100", "--seed", "7").code());
        assertEquals(0, CliRun.of("logits", "-o", p("b.safetensors"), "--shape", "8,100", "--seed", "7").code());
        assertEquals(0, CliRun.of("logits", "-o", p("c.safetensors"), "--shape", "8,100", "--seed", "8").code());
        byte[] a = Files.readAllBytes(dir.resolve("a.safetensors"));
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("b.safetensors")));
        assertFalse(Arrays.equals(a, Files.readAllBytes(dir.resolve("c.safetensors"))));
    }

    @Test
    void withoutPathsTheAuditRunsTheDefaultPathsAsTrainAndProbeDo() throws IOException {
        // the help promises fused, separate, separate-naive, separate-clipped; the newer paths run only when named
        assertEquals(0, CliRun.of("logits", "-o", p("d.safetensors"), "--shape", "3,20").code());
        CliRun json = CliRun.of("audit", p("d.safetensors"), "--precision", "fp64", "--format", "json", "--headroom-rows", "0");
        assertEquals(0, json.code(), json.err());
        JsonNode paths = Json.mapper().readTree(json.out()).get("paths");
        List<String> ids = new java.util.ArrayList<>();
        paths.forEach(n -> ids.add(n.get("path").asText()));
        assertEquals(List.of("fused", "separate", "separate-naive", "separate-clipped"), ids);
    }

    @Test
    void auditTextJsonCsvAndRows() throws IOException {
        assertEquals(0, CliRun.of("logits", "-o", p("in.npz"), "--shape", "2,10,50", "--dtype", "float16").code());
        CliRun text = CliRun.of("audit", p("in.npz"), "--paths", "fused,separate", "--precision", "fp32,fp16",
                "--headroom-rows", "4");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("input: 20 rows x 50 classes, float16 [2, 10, 50]"), text.out());
        assertTrue(text.out().contains("Reading:"), text.out());
        CliRun json = CliRun.of("audit", p("in.npz"), "--paths", "fused", "--precision", "fp32", "--format", "json",
                "--rows", p("out-rows.jsonl"), "--threads", "2");
        assertEquals(0, json.code(), json.err());
        JsonNode doc = Json.mapper().readTree(json.out());
        assertEquals("softmaxlab.audit/1", doc.get("schema").asText());
        assertEquals("npz", doc.at("/source/format").asText());
        assertEquals(Files.size(dir.resolve("in.npz")), doc.at("/source/file/bytes").asLong());
        assertEquals("fused", doc.at("/paths/0/path").asText());
        List<String> lines = Files.readAllLines(dir.resolve("out-rows.jsonl"), StandardCharsets.UTF_8);
        assertEquals(20, lines.size());
        assertEquals(19, Json.mapper().readTree(lines.get(19)).get("row").asInt());
        CliRun csv = CliRun.of("audit", p("in.npz"), "--paths", "fused,separate", "--precision", "fp32",
                "--format", "csv", "--headroom-rows", "0");
        assertEquals(3, csv.out().strip().lines().count(), csv.out());
        assertTrue(csv.out().startsWith("path,precision,accumulate,rows,"));
    }

    @Test
    void rawNeedsDtypeAndShape() throws IOException {
        assertEquals(0, CliRun.of("logits", "-o", p("r.bin"), "--shape", "4,6", "--dtype", "bf16").code());
        CliRun ok = CliRun.of("audit", p("r.bin"), "--dtype", "bf16", "--shape", "4,6", "--labels", p("r.labels.npy"),
                "--format", "csv", "--headroom-rows", "0", "--paths", "fused", "--precision", "bf16");
        assertEquals(0, ok.code(), ok.err());
        assertBadInput(CliRun.of("audit", p("r.bin"), "--dtype", "bf16", "--labels", p("r.labels.npy")),
                "needs both --dtype and --shape");
        assertBadInput(CliRun.of("audit", p("r.bin"), "--dtype", "f8", "--shape", "4,6", "--labels",
                p("r.labels.npy")), "unknown dtype 'f8'");
        assertBadInput(CliRun.of("audit", p("r.bin"), "--dtype", "float32", "--shape", "4,6", "--labels",
                p("r.labels.npy")), "needs 96 bytes but the file holds only 48");
    }

    @Test
    void badInputsAreOneLineExitTwo() throws IOException {
        assertEquals(0, CliRun.of("logits", "-o", p("g.npy"), "--shape", "3,5").code());
        // labels from another file with the wrong count
        assertEquals(0, CliRun.of("logits", "-o", p("h.npy"), "--shape", "4,5").code());
        assertBadInput(CliRun.of("audit", p("g.npy"), "--labels", p("h.labels.npy"), "-o", p("out.txt")),
                "holds 4 labels");
        // no labels at all
        assertBadInput(CliRun.of("audit", p("g.npy"), "-o", p("out.txt")), "no entry 'labels'");
        // truncated
        byte[] whole = Files.readAllBytes(dir.resolve("g.npy"));
        Files.write(dir.resolve("t.npy"), Arrays.copyOf(whole, whole.length - 10));
        assertBadInput(CliRun.of("audit", p("t.npy"), "--labels", p("g.labels.npy"), "--rows", p("out.jsonl")),
                "truncated");
        // a .pt file and an unknown format
        Files.write(dir.resolve("m.pt"), new byte[] {(byte) 0x80, 2});
        assertBadInput(CliRun.of("audit", p("m.pt")), "safetensors.torch.save_file");
        Files.writeString(dir.resolve("x.csv"), "1,2,3\n4,5,6\n");
        assertBadInput(CliRun.of("audit", p("x.csv")), "not a tensor file");
        // the named npz entry is missing: the names present are listed
        assertEquals(0, CliRun.of("logits", "-o", p("z.npz"), "--shape", "3,5").code());
        assertBadInput(CliRun.of("audit", p("z.npz"), "--logits", "scores"), "it holds logits, labels");
        // a float label tensor
        assertBadInput(CliRun.of("audit", p("z.npz"), "--labels", "logits"), "not an integer tensor");
        // labels out of range
        ByteBuffer b = ByteBuffer.allocate(128 + 24).order(ByteOrder.LITTLE_ENDIAN);
        String header = "{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }";
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        String padded = header + " ".repeat(128 - 10 - header.length() - 1) + "\n";
        b.putShort((short) padded.length()).put(padded.getBytes(StandardCharsets.US_ASCII));
        b.putLong(0).putLong(5).putLong(-100);
        Files.write(dir.resolve("y.npy"), Arrays.copyOf(b.array(), b.position()));
        assertBadInput(CliRun.of("audit", p("g.npy"), "--labels", p("y.npy")), "label 5 in row 1");
        // bf16 cannot go in .npy
        assertBadInput(CliRun.of("logits", "-o", p("out.npy"), "--dtype", "bf16"), "numpy has no bfloat16");
    }

    /** probe --input takes tensor files too: one case per row, labels from the file's 'labels' entry. */
    @Test
    void probeReadsTensorFiles() throws IOException {
        assertEquals(0, CliRun.of("logits", "-o", p("c.npz"), "--shape", "3,4").code());
        CliRun r = CliRun.of("probe", "--input", p("c.npz"), "--format", "jsonl", "--paths", "fused",
                "--precision", "fp64");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().strip().lines().toList();
        assertEquals(3, lines.size());
        JsonNode last = Json.mapper().readTree(lines.get(2));
        assertEquals(2, last.get("case").asInt());
        assertEquals(4, last.get("classes").asInt());
        assertEquals(0, CliRun.of("logits", "-o", p("d.npy"), "--shape", "3,4").code());
        assertBadInput(CliRun.of("probe", "--input", p("d.npy"), "-o", p("out.jsonl")), "no 'labels' entry");
    }
}
