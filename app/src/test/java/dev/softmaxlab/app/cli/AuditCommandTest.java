package dev.softmaxlab.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.schema.Schemas;
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

    /** A .npy of float64 [rows, C] or int64 [rows], little-endian. */
    private void npy(String name, double[] values, long[] labels, int rows) throws IOException {
        int n = values != null ? values.length : labels.length;
        String shape = values != null ? "(" + rows + ", " + (n / rows) + ")" : "(" + n + ",)";
        String header = "{'descr': '" + (values != null ? "<f8" : "<i8") + "', 'fortran_order': False, 'shape': "
                + shape + ", }";
        ByteBuffer b = ByteBuffer.allocate(128 + 8 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        String padded = header + " ".repeat(128 - 10 - header.length() - 1) + "\n";
        b.putShort((short) padded.length()).put(padded.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < n; i++) {
            if (values != null) {
                b.putDouble(values[i]);
            } else {
                b.putLong(labels[i]);
            }
        }
        Files.write(dir.resolve(name), b.array());
    }

    /**
     * The loss-head flags reach the audit: its config, its text header, its CSV, and its exact reference. The row
     * and its exact loss are an mpmath case: z = [2.5, -1, 0.75, 3, -0.5], label 1, weights 0.5,2,1,3,0.25, z-loss
     * 1e-3, softcap 2; mp.dps = 50, loss = w_y·(lse - z'_y) + λ·lse² with z' = 2·tanh(z/2) = 7.2210899958100634222...
     * Without the options in the reference, fp64 fused would sit about 2^52 ulps away from it.
     */
    @Test
    void lossHeadFlagsReachConfigHeaderCsvAndTheExactReference() throws IOException {
        npy("h.npy", new double[] {2.5, -1.0, 0.75, 3.0, -0.5}, null, 1);
        npy("h-labels.npy", null, new long[] {1}, 1);
        String[] head = {"--class-weights", "0.5,2,1,3,0.25", "--z-loss", "1e-3", "--softcap", "2",
            "--chunk-size", "2", "--headroom-rows", "0", "--labels", p("h-labels.npy")};
        CliRun json = CliRun.of(concat(new String[] {"audit", p("h.npy"), "--paths", "fused,fused-chunked",
            "--precision", "fp64,fp32", "--format", "json"}, head));
        assertEquals(0, json.code(), json.err());
        JsonNode doc = Json.mapper().readTree(json.out());
        assertEquals(0.001, doc.at("/config/zLoss").asDouble());
        assertEquals(2.0, doc.at("/config/softcap").asDouble());
        assertEquals(3.0, doc.at("/config/classWeights/3").asDouble());
        assertEquals(2, doc.at("/config/chunkSize").asInt());
        assertTrue(doc.at("/config/chunkCarry").isNull());
        assertEquals(-100, doc.at("/config/ignoreIndex").asInt());
        assertEquals(List.of(), JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(Json.mapper().readTree(Schemas.text("audit"))).validate(doc).stream()
                .map(Object::toString).toList());
        assertEquals(7.221089995810063, doc.at("/paths/0/exactLossMean").asDouble(), 1e-15);
        for (JsonNode pp : doc.get("paths")) {
            // fp64 and fp32 fused and fused-chunked with these options sit within a few ulps of the truth
            assertTrue(pp.at("/lossErrorUlps/max").asDouble() <= 4, pp.toString());
        }
        CliRun text = CliRun.of(concat(new String[] {"audit", p("h.npy"), "--paths", "fused,fused-chunked",
            "--precision", "fp64"}, head));
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().lines().skip(1).findFirst().orElse("").equals("loss head: classWeights "
                + "0.5,2.0,1.0,3.0,0.25, zLoss 0.001, softcap 2.0, chunkSize 2"), text.out());
        CliRun csv = CliRun.of(concat(new String[] {"audit", p("h.npy"), "--paths", "fused,fused-chunked",
            "--precision", "fp64", "--format", "csv"}, head));
        assertEquals(0, csv.code(), csv.err());
        List<String> rows = csv.out().lines().toList();
        assertTrue(rows.get(0).endsWith(",ignoreIndex,classWeights,zLoss,softcap,chunkSize,chunkCarry"), rows.get(0));
        assertTrue(rows.get(1).startsWith("fused,fp64,") && rows.get(1).endsWith(
                ",-100,\"0.5,2.0,1.0,3.0,0.25\",0.001,2.0,,"), rows.get(1));
        assertTrue(rows.get(2).startsWith("fused-chunked,fp64,") && rows.get(2).endsWith(
                ",-100,\"0.5,2.0,1.0,3.0,0.25\",0.001,2.0,2,accumulation"), rows.get(2));
    }

    @Test
    void badLossHeadFlagsAreOneLineExitTwo() throws IOException {
        npy("b.npy", new double[] {2.5, -1.0, 0.75, 3.0, -0.5}, null, 1);
        npy("b-labels.npy", null, new long[] {1}, 1);
        String in = p("b.npy");
        String labels = p("b-labels.npy");
        assertBadInput(CliRun.of("audit", in, "--labels", labels, "--class-weights", "1,2"), "class weights has 2 values");
        assertBadInput(CliRun.of("audit", in, "--labels", labels, "--class-weights", "1,2,0,1,1"), "--class-weights");
        assertBadInput(CliRun.of("audit", in, "--labels", labels, "--softcap", "0"), "--softcap: softcap 0.0");
        assertBadInput(CliRun.of("audit", in, "--labels", labels, "--z-loss", "-1"), "--z-loss: z-loss -1.0");
        assertBadInput(CliRun.of("audit", in, "--labels", labels, "--ignore-index", "2"), "ignore index 2 is a class");
        assertBadInput(CliRun.of("audit", in, "--labels", labels, "--chunk-size", "8"), "chunkSize = 8 cannot apply");
        assertBadInput(CliRun.of("audit", in, "--labels", labels, "--paths", "fused-chunked", "--chunk-size", "0"),
                "--chunk-size: chunk size 0");
        assertBadInput(CliRun.of("audit", in, "--labels", labels, "--paths", "fused-chunked", "--precision", "fp32",
                "--chunk-carry", "bf16"), "chunk carry bf16 is narrower");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
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
