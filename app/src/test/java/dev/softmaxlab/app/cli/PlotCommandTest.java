package dev.softmaxlab.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.schema.Schemas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotCommandTest {

    @TempDir
    static Path tmp;

    static Path report;

    @BeforeAll
    static void train() {
        report = tmp.resolve("report.json");
        CliRun run = CliRun.of("train", "--dataset", "blobs", "--steps", "20", "--logit-scale", "60",
                "--precision", "fp32,fp16", "--quiet", "--format", "json", "-o", report.toString());
        assertEquals(0, run.code(), run.err());
    }

    private static void assertOneLine(CliRun run, String... parts) {
        assertEquals(2, run.code(), run.err());
        assertEquals("", run.out());
        String line = run.err().strip();
        assertFalse(line.contains("\n"), line);
        assertFalse(line.contains("Exception"), line);
        for (String p : parts) {
            assertTrue(line.contains(p), line);
        }
    }

    @Test
    void aTrainReportGivesFiveChartsAsSvgAndPngAndThePage() throws Exception {
        Path out = tmp.resolve("pictures");
        CliRun run = CliRun.of("plot", report.toString(), "-o", out.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("Wrote 11 files to " + out), run.out());
        for (String id : List.of("train-loss", "logit-gradient-norm", "numeric-events", "test-accuracy",
                "loss-error")) {
            assertTrue(Files.size(out.resolve(id + ".svg")) > 1000, id);
            assertTrue(Files.size(out.resolve(id + ".png")) > 1000, id);
            assertFalse(Files.exists(out.resolve(id + ".vl.json")), id);
        }
        assertTrue(Files.readString(out.resolve("index.html")).contains("Training report"));
        try (Stream<Path> s = Files.list(out)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void vegaLiteAddsASpecPerChartWithItsDataInline() throws Exception {
        Path out = tmp.resolve("vl");
        CliRun run = CliRun.of("plot", report.toString(), "-o", out.toString(), "--format", "vega-lite");
        assertEquals(0, run.code(), run.err());
        JsonNode spec = Json.mapper().readTree(out.resolve("train-loss.vl.json").toFile());
        assertEquals("https://vega.github.io/schema/vega-lite/v5.json", spec.get("$schema").asText());
        assertTrue(spec.get("layer").get(0).get("data").get("values").size() > 10);
    }

    @Test
    void aFileThatIsNotASoftmaxlabDocument() throws Exception {
        Path f = Files.writeString(tmp.resolve("notes.csv"), "a,b\n1,2\n");
        assertOneLine(CliRun.of("plot", f.toString(), "-o", tmp.resolve("x").toString()),
                "softmaxlab: " + f + " is not a softmaxlab document", "give a train report");
        assertFalse(Files.exists(tmp.resolve("x").resolve("index.html")), "nothing written");
    }

    @Test
    void aNewerSchemaVersion() throws Exception {
        ObjectNode doc = (ObjectNode) Json.mapper().readTree(report.toFile());
        doc.put("schema", "softmaxlab.report/7");
        Path f = tmp.resolve("newer.json");
        Json.mapper().writeValue(f.toFile(), doc);
        assertOneLine(CliRun.of("plot", f.toString(), "-o", tmp.resolve("y").toString()),
                "is softmaxlab.report/7, newer than this softmaxlab reads (softmaxlab.report/1)");
    }

    @Test
    void anEmptySweepDirectory() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("empty-sweep"));
        assertOneLine(CliRun.of("plot", dir.toString(), "-o", tmp.resolve("z").toString()),
                dir + " has no summary.json");
    }

    @Test
    void aReportWithNoSteps() throws Exception {
        ObjectNode doc = (ObjectNode) Json.mapper().readTree(report.toFile());
        for (JsonNode run : doc.get("runs")) {
            ((ObjectNode) run).putArray("steps");
        }
        Path f = tmp.resolve("nosteps.json");
        Json.mapper().writeValue(f.toFile(), doc);
        assertOneLine(CliRun.of("plot", f.toString(), "-o", tmp.resolve("w").toString()),
                "run fused@fp32 has no logged steps");
    }

    @Test
    void anUnknownFormatAndAMissingOutput() {
        assertOneLine(CliRun.of("plot", report.toString(), "-o", tmp.resolve("v").toString(), "--format", "pdf"),
                "--format pdf is not a plot format");
        CliRun noOutput = CliRun.of("plot", report.toString());
        assertEquals(2, noOutput.code());
        assertTrue(noOutput.err().contains("--output"), noOutput.err());
    }

    @Test
    void aProbeScaleSweepIsAValidProbeDocumentAndPlotsTheBreakPoint() throws Exception {
        Path doc = tmp.resolve("scale.json");
        CliRun probe = CliRun.of("probe", "--logits", "2,1,0.1", "--label", "2", "--scale-sweep", "1:1e4:9",
                "--paths", "fused,separate", "--precision", "fp32,fp16", "--format", "json", "-o", doc.toString());
        assertEquals(0, probe.code(), probe.err());
        JsonNode json = Json.mapper().readTree(doc.toFile());
        var schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(Json.mapper().readTree(Schemas.text("probe")));
        assertEquals(List.of(), schema.validate(json).stream().map(Object::toString).toList());
        assertEquals(9, json.get("cases").size());
        assertEquals(1e4, json.get("cases").get(8).get("scale").asDouble());
        assertEquals(1e4, json.get("config").get("scaleSweep").get("to").asDouble());
        assertTrue(json.get("cases").get(0).get("results").get(0).has("error"));

        Path out = tmp.resolve("scale-plot");
        CliRun plot = CliRun.of("plot", doc.toString(), "-o", out.toString());
        assertEquals(0, plot.code(), plot.err());
        assertTrue(Files.exists(out.resolve("break-point.svg")));
        String html = Files.readString(out.resolve("index.html"));
        // separate in fp16 overflows exp long before fp32: both break, fused does not within ×1e4 in fp32
        assertTrue(html.contains("Held over the whole range: fused@fp32"), html);
    }

    @Test
    void scaleSweepNeedsTheLogitsRow() throws Exception {
        Path in = Files.writeString(tmp.resolve("cases.jsonl"), "{\"logits\":[1,2],\"label\":0}\n");
        assertOneLine(CliRun.of("probe", "--input", in.toString(), "--scale-sweep", "1:10:3"),
                "--scale-sweep scales the --logits row");
        assertOneLine(CliRun.of("probe", "--logits", "1,2", "--label", "0", "--scale-sweep", "1:10"),
                "--scale-sweep 1:10 is not FROM:TO:N");
    }

    @Test
    void trainWritesItsPageWithHtml() throws Exception {
        Path page = tmp.resolve("train.html");
        CliRun run = CliRun.of("train", "--dataset", "blobs", "--steps", "10", "--quiet", "--html", page.toString());
        assertEquals(0, run.code(), run.err());
        String html = Files.readString(page);
        assertEquals(5, html.split("<figure class=\"chart\"", -1).length - 1);
        assertFalse(html.contains(".png\">PNG</a>"), "a page that stands alone links no chart files");
        assertOneLine(CliRun.of("train", "--steps", "1", "--quiet", "--html", tmp.toString()),
                "--html " + tmp + " is a directory");
    }

    @Test
    void sweepWritesIndexHtmlBesideItsSummary() throws Exception {
        Path spec = Files.writeString(tmp.resolve("tiny.json"), "{\"schema\":\"softmaxlab.spec/1\","
                + "\"name\":\"tiny\",\"description\":\"two scales\",\"base\":{\"dataset\":\"blobs\",\"steps\":5,\"precision\":[\"fp32\"],"
                + "\"paths\":[\"fused\",\"separate-naive\"]},\"grid\":{\"logitScale\":[1,1000]},"
                + "\"expect\":[{\"where\":{\"path\":\"fused\"},\"metric\":\"totalNonFinite\",\"equals\":0}]}");
        Path dir = tmp.resolve("tiny-sweep");
        CliRun run = CliRun.of("sweep", spec.toString(), "--quiet", "-o", dir.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("charts: " + dir.resolve("index.html")), run.out());
        String html = Files.readString(dir.resolve("index.html"));
        assertTrue(html.contains("id=\"chart-stability-first-nonfinite\""));
        assertTrue(html.contains("id=\"chart-rule-1\""));
        // and plot draws the same directory
        CliRun plot = CliRun.of("plot", dir.toString(), "-o", tmp.resolve("tiny-plot").toString());
        assertEquals(0, plot.code(), plot.err());
        assertTrue(Files.exists(tmp.resolve("tiny-plot").resolve("stability-final-loss.svg")));
    }

    @Test
    void aProbeDocumentGivesLossAndEventsPerPathAndPrecision() throws Exception {
        Path doc = tmp.resolve("probe.json");
        CliRun probe = CliRun.of("probe", "--logits", "1000,0,-1000", "--label", "2", "--format", "json",
                "-o", doc.toString());
        assertEquals(0, probe.code(), probe.err());
        Path out = tmp.resolve("probe-plot");
        CliRun plot = CliRun.of("plot", doc.toString(), "-o", out.toString());
        assertEquals(0, plot.code(), plot.err());
        String html = Files.readString(out.resolve("index.html"));
        assertTrue(html.contains("id=\"chart-probe-loss\""));
        assertTrue(html.contains("id=\"chart-probe-events\""));
        // fused gives the true 2000; separate's probability of class 2 underflows and its loss is +∞
        assertTrue(html.contains("separate@fp64 gives +∞"), html);
        assertTrue(Files.readString(out.resolve("probe-loss.svg")).contains(">2000<"));
    }

    @Test
    void manyProbeCasesAreDrawnAsLinesOverTheCaseIndex() throws Exception {
        StringBuilder cases = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            cases.append("{\"logits\":[").append(i * 10).append(",0,-1],\"label\":2}\n");
        }
        Path in = Files.writeString(tmp.resolve("many.jsonl"), cases.toString());
        Path doc = tmp.resolve("many.json");
        CliRun probe = CliRun.of("probe", "--input", in.toString(), "--paths", "fused,separate", "--format", "json",
                "-o", doc.toString());
        assertEquals(0, probe.code(), probe.err());
        Path out = tmp.resolve("many-plot");
        CliRun plot = CliRun.of("plot", doc.toString(), "-o", out.toString());
        assertEquals(0, plot.code(), plot.err());
        assertTrue(Files.readString(out.resolve("probe-loss.svg")).contains("case (index in the input)"));
    }

    @Test
    void anAuditGivesLossErrorHeadroomAndEventsWithVegaLite() throws Exception {
        Path logits = tmp.resolve("audit-batch.safetensors");
        CliRun made = CliRun.of("logits", "-o", logits.toString(), "--shape", "32,100", "--temperature", "0.1");
        assertEquals(0, made.code(), made.err());
        Path doc = tmp.resolve("audit.json");
        CliRun audit = CliRun.of("audit", logits.toString(), "--headroom-rows", "4", "--format", "json",
                "--progress", "never", "-o", doc.toString());
        assertEquals(0, audit.code(), audit.err());
        Path out = tmp.resolve("audit-plot");
        CliRun run = CliRun.of("plot", doc.toString(), "-o", out.toString(), "--format", "vega-lite");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("Wrote 10 files to " + out), run.out());
        for (String id : List.of("audit-loss-error", "audit-headroom", "audit-events")) {
            assertTrue(Files.size(out.resolve(id + ".svg")) > 1000, id);
            assertTrue(Files.size(out.resolve(id + ".png")) > 1000, id);
            assertTrue(Files.exists(out.resolve(id + ".vl.json")), id);
        }
        String html = Files.readString(out.resolve("index.html"));
        assertTrue(html.contains("Audit: loss error, headroom and events"), "title");
        assertTrue(html.contains("Input statistics"), "input table");
        // the audit's own reading, sentence for sentence
        String firstReading = Json.mapper().readTree(doc.toFile()).get("reading").get(0).asText();
        assertTrue(html.contains(firstReading.substring(0, Math.min(30, firstReading.length()))), firstReading);
        JsonNode headroom = Json.mapper().readTree(out.resolve("audit-headroom.vl.json").toFile());
        assertEquals("log", headroom.at("/layer/0/encoding/y/scale/type").asText(), headroom.toString());
        assertEquals(1.0, headroom.at("/layer/1/data/values/0/value").asDouble(), 0);
    }

    @Test
    void aNewerAuditSchemaVersionIsRefused() throws Exception {
        Path f = Files.writeString(tmp.resolve("audit9.json"), "{\"schema\": \"softmaxlab.audit/9\"}");
        assertOneLine(CliRun.of("plot", f.toString(), "-o", tmp.resolve("a9").toString()),
                "softmaxlab.audit/9, newer than this softmaxlab reads (softmaxlab.audit/1)");
    }
}
