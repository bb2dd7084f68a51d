package dev.softmaxlab.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** probe end to end through the real command line; expected numbers are worked out by hand in the comments. */
class ProbeCommandTest {

    /** A reader independent of the tool's: strict RFC 8259, bare NaN/Infinity tokens refused. */
    private static final JsonMapper STRICT = JsonMapper.builder()
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    @TempDir
    Path dir;

    private static JsonNode result(JsonNode caseNode, String path, String precision) {
        for (JsonNode r : caseNode.get("results")) {
            if (r.get("path").asText().equals(path) && r.get("precision").asText().equals(precision)) {
                return r;
            }
        }
        throw new AssertionError("no result for " + path + " " + precision + " in " + caseNode);
    }

    private static double[] doubles(JsonNode array) {
        double[] v = new double[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).isNumber() ? array.get(i).doubleValue() : Double.parseDouble(array.get(i).asText());
        }
        return v;
    }

    @Test
    void readmeExampleAsJson() throws IOException {
        CliRun r = CliRun.of("probe", "--logits", "1000,0,-1000", "--label", "2", "--format", "json");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        JsonNode doc = STRICT.readTree(r.out());
        assertEquals("softmaxlab.probe/1", doc.get("schema").asText());
        assertEquals("softmaxlab", doc.get("tool").get("name").asText());
        assertTrue(doc.get("provenance").get("javaVersion").isTextual());
        JsonNode config = doc.get("config");
        assertEquals(dev.softmaxlab.core.loss.LossPaths.defaults().stream().map(p -> p.id()).toList(),
                STRICT.convertValue(config.get("paths"), List.class), "the default set of paths");
        assertEquals(List.of("fp64", "fp32", "bf16", "fp16"), STRICT.convertValue(config.get("precisions"), List.class));
        assertEquals("fp32", config.get("accumulate").asText());
        assertEquals(1e-7, config.get("eps").doubleValue());
        assertEquals(0.0, config.get("labelSmoothing").doubleValue());

        JsonNode c = doc.get("cases").get(0);
        assertEquals(0, c.get("case").asInt());
        assertEquals(dev.softmaxlab.core.loss.LossPaths.defaults().size() * 4, c.get("results").size(),
                "the default paths x 4 precisions");
        // fused: m = 1000, s = 1 + e^-1000 + e^-2000 = 1 in double, loss = (m - z_2) + log s = 2000;
        // gradient = softmax - onehot(2) = (1, 0, 0) - (0, 0, 1)
        JsonNode fused = result(c, "fused", "fp64");
        assertEquals(2000.0, fused.get("loss").doubleValue());
        assertTrue(fused.get("loss").isNumber());
        assertArrayEquals(new double[] {1, 0, -1}, doubles(fused.get("gradient")));
        assertArrayEquals(new double[] {1, 0, 0}, doubles(fused.get("probabilities")));
        assertEquals(1.0, fused.get("maxAbsGradient").doubleValue());
        assertTrue(fused.get("firstNonFinite").isNull());
        assertEquals(0, fused.get("events").get("loss").get("posInf").asInt());
        // e^(0-1000) and e^(-1000-1000) underflow to 0
        assertEquals(2, fused.get("events").get("expUnderflow").asInt());
        // separate: p_2 = 0 exactly, loss = -log 0 = +Infinity, written as a string
        JsonNode separate = result(c, "separate", "fp64");
        assertEquals("Infinity", separate.get("loss").textValue());
        assertEquals(1, separate.get("events").get("loss").get("posInf").asInt());
        assertEquals(1, separate.get("events").get("logOfZero").asInt());
        assertEquals("log", separate.get("firstNonFinite").get("op").asText());
        assertEquals(0, separate.get("firstNonFinite").get("row").asInt());
        assertEquals(2, separate.get("firstNonFinite").get("classIndex").asInt());
        for (JsonNode g : separate.get("gradient")) {
            assertEquals("NaN", g.textValue());
        }
        // separate-clipped: p_2 clipped up to ε = 1e-7, loss = -log(1e-7)
        JsonNode clipped = result(c, "separate-clipped", "fp64");
        assertEquals(-Math.log(1e-7), clipped.get("loss").doubleValue(), 1e-15 * 16.2);
        assertEquals(0.0, doubles(clipped.get("gradient"))[2]);
        // half formats report their accumulation precision
        assertEquals("fp32", result(c, "fused", "bf16").get("accumulate").asText());
        assertEquals("fp64", fused.get("accumulate").asText());
    }

    @Test
    void eventsHaveEveryKeyInAStableLayout() throws IOException {
        CliRun r = CliRun.of("probe", "--logits", "1,2", "--label", "0", "--format", "jsonl", "--paths", "fused",
                "--precision", "fp64");
        JsonNode events = STRICT.readTree(r.out()).get("results").get(0).get("events");
        List<String> keys = new ArrayList<>();
        events.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("expOverflow", "expUnderflow", "subnormal", "logOfZero", "divByZero", "infOverInf",
                "zeroTimesInf", "infMinusInf", "clipped", "saturated", "loss", "gradient"), keys);
        List<String> sub = new ArrayList<>();
        events.get("gradient").fieldNames().forEachRemaining(sub::add);
        assertEquals(List.of("nan", "posInf", "negInf"), sub);
    }

    @Test
    void denseTargetAndLabelSmoothing() throws IOException {
        // logits (0, 0): p = (1/2, 1/2). Target (1, 0) smoothed with α = 0.5 over C = 2: (0.75, 0.25).
        // loss = -Σ t log p = log 2; gradient = p - t = (-0.25, 0.25)
        CliRun r = CliRun.of("probe", "--logits", "0,0", "--target", "1,0", "--label-smoothing", "0.5",
                "--format", "jsonl", "--paths", "fused", "--precision", "fp64");
        assertEquals(0, r.code(), r.err());
        JsonNode fused = STRICT.readTree(r.out()).get("results").get(0);
        assertEquals(Math.log(2), fused.get("loss").doubleValue(), 1e-16);
        assertArrayEquals(new double[] {-0.25, 0.25}, doubles(fused.get("gradient")), 1e-16);
    }

    @Test
    void vectorsOption() throws IOException {
        String[] base = {"probe", "--logits", "1,2", "--label", "0", "--format", "jsonl", "--paths", "fused",
            "--precision", "fp64", "--vectors"};
        JsonNode none = STRICT.readTree(CliRun.of(concat(base, "none")).out()).get("results").get(0);
        assertFalse(none.has("gradient"));
        assertFalse(none.has("probabilities"));
        assertTrue(none.has("maxAbsGradient"));
        JsonNode grad = STRICT.readTree(CliRun.of(concat(base, "gradient")).out()).get("results").get(0);
        assertTrue(grad.has("gradient"));
        assertFalse(grad.has("probabilities"));
    }

    private static String[] concat(String[] a, String b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + 1);
        c[a.length] = b;
        return c;
    }

    /** Case i has C = i % 7 + 1 equal logits, so its fused loss is log C, whatever the label. */
    private Path uniformCases(int n) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int c = i % 7 + 1;
            StringBuilder z = new StringBuilder();
            for (int j = 0; j < c; j++) {
                z.append(j == 0 ? "" : ",").append(i % 5 - 2);
            }
            sb.append("{\"logits\":[").append(z).append("],\"label\":").append(i % c).append("}\n");
            if (i % 10 == 3) {
                sb.append("\n"); // blank lines are skipped and do not count as cases
            }
        }
        return Files.writeString(dir.resolve("uniform.jsonl"), sb);
    }

    @Test
    void jsonlKeepsInputOrder() throws IOException {
        int n = 300;
        CliRun r = CliRun.of("probe", "--input", uniformCases(n).toString(), "--format", "jsonl",
                "--precision", "fp64", "--threads", "4");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(n, lines.size());
        for (int i = 0; i < n; i++) {
            JsonNode c = STRICT.readTree(lines.get(i));
            assertEquals(i, c.get("case").asInt());
            assertEquals(i % 7 + 1, c.get("classes").asInt());
            assertEquals(Math.log(i % 7 + 1), result(c, "fused", "fp64").get("loss").doubleValue(), 1e-15, lines.get(i));
        }
    }

    @Test
    void jsonDocumentHoldsEveryCase() throws IOException {
        CliRun r = CliRun.of("probe", "--input", uniformCases(25).toString(), "--format", "json",
                "--paths", "fused,separate", "--precision", "fp32");
        assertEquals(0, r.code(), r.err());
        JsonNode doc = STRICT.readTree(r.out());
        assertEquals(25, doc.get("cases").size());
        assertEquals(24, doc.get("cases").get(24).get("case").asInt());
        assertEquals(2, doc.get("cases").get(0).get("results").size());
    }

    /** Seeded cases with large, small and non-finite logits, sparse and dense. */
    private Path randomCases(int n, long seed) throws IOException {
        Random rnd = new Random(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int c = 1 + rnd.nextInt(40);
            double scale = Math.pow(10, rnd.nextInt(5) - 1);
            StringBuilder z = new StringBuilder();
            for (int j = 0; j < c; j++) {
                String v = rnd.nextInt(50) == 0 ? "\"-Infinity\"" : String.format(Locale.ROOT, "%.17g",
                        rnd.nextGaussian() * scale);
                z.append(j == 0 ? "" : ",").append(v);
            }
            if (rnd.nextBoolean()) {
                sb.append("{\"logits\":[").append(z).append("],\"label\":").append(rnd.nextInt(c)).append("}\n");
            } else {
                // one-hot dense target: exactly a distribution
                int k = rnd.nextInt(c);
                StringBuilder t = new StringBuilder();
                for (int j = 0; j < c; j++) {
                    t.append(j == 0 ? "" : ",").append(j == k ? "1" : "0");
                }
                sb.append("{\"target\":[").append(t).append("],\"logits\":[").append(z).append("]}\n");
            }
        }
        return Files.writeString(dir.resolve("random.jsonl"), sb);
    }

    @Test
    void resultsAreIdenticalForOneThreadAndMany() throws IOException {
        Path f = randomCases(400, 20261122L);
        CliRun one = CliRun.of("probe", "--input", f.toString(), "--format", "jsonl", "--threads", "1");
        CliRun many = CliRun.of("probe", "--input", f.toString(), "--format", "jsonl", "--threads", "7");
        assertEquals(0, one.code(), one.err());
        assertEquals(400, one.out().lines().count());
        assertEquals(one.out(), many.out());
        CliRun oneText = CliRun.of("probe", "--input", f.toString(), "--threads", "1");
        CliRun manyText = CliRun.of("probe", "--input", f.toString(), "--threads", "3");
        assertEquals(oneText.out(), manyText.out());
    }

    @Test
    void readsStdinWithDash() throws IOException {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(("{\"logits\":[1000,0,-1000],\"label\":2}\n"
                    + "{\"logits\":[0,0,0,0],\"target\":[0.25,0.25,0.25,0.25]}\n").getBytes(StandardCharsets.UTF_8)));
            CliRun r = CliRun.of("probe", "--input", "-", "--format", "jsonl", "--paths", "fused",
                    "--precision", "fp64");
            assertEquals(0, r.code(), r.err());
            List<String> lines = r.out().lines().toList();
            assertEquals(2, lines.size());
            assertEquals(2000.0, STRICT.readTree(lines.get(0)).get("results").get(0).get("loss").doubleValue());
            // uniform logits and uniform target: loss = log 4, gradient = p - t = 0
            JsonNode second = STRICT.readTree(lines.get(1)).get("results").get(0);
            assertEquals(Math.log(4), second.get("loss").doubleValue(), 1e-15);
            assertArrayEquals(new double[4], doubles(second.get("gradient")), 1e-16);
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void outputFileIsWrittenAndStdoutStaysEmpty() throws IOException {
        Path out = dir.resolve("sub/probe.json");
        Files.createDirectories(out.getParent()); // -o does not create a missing directory
        CliRun r = CliRun.of("probe", "--logits", "1000,0,-1000", "--label", "2", "--format", "json", "-o",
                out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.out());
        assertEquals("softmaxlab.probe/1", STRICT.readTree(Files.readString(out)).get("schema").asText());
    }

    @Test
    void textTableShowsEachPathAndPrecision() {
        CliRun r = CliRun.of("probe", "--logits", "1000,0,-1000", "--label", "2");
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        assertTrue(out.startsWith("case 0: logits [1000.0, 0.0, -1000.0], label 2\n"), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("fused +fp64 +2000\\.0 +1\\.0 +- +expUnderflow:2")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("separate +fp64 +Infinity +NaN +log@2 .*")), out);
        assertTrue(out.contains("(bf16 and fp16 sums accumulate in fp32)"), out);
        assertEquals(16, out.lines().filter(l -> l.matches("(fused|separate|separate-naive|separate-clipped) +fp.*"
                + "|(fused|separate|separate-naive|separate-clipped) +bf16.*")).count(), out);
    }
}
