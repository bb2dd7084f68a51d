package dev.softmaxlab.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softmaxlab.experiments.report.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    @Test
    void theDemoIsTellingPrintsTheTableAndWritesAReproducibleReport(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("demo");
        CliRun r = CliRun.of("demo", "-o", out.toString(), "--quiet");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        JsonNode report = Json.mapper().readTree(Files.readString(out.resolve("report.json")));
        assertEquals("softmaxlab.report/1", report.get("schema").asText());
        assertEquals(8, report.get("runs").size());
        for (JsonNode run : report.get("runs")) {
            String id = run.get("id").asText();
            assertTrue(r.out().contains(id + " "), id + " is in the table");
            JsonNode s = run.get("summary");
            if (run.get("path").asText().equals("fused")) {
                // the story the demo tells: fused trains well in both precisions, with no non-finite value
                assertTrue(s.get("finalTestAccuracy").asDouble() >= 0.9, id + ": " + s);
                assertEquals(0, s.get("totalNonFinite").asLong(), id);
            }
            if (run.get("path").asText().equals("separate-naive")) {
                assertTrue(s.get("firstNonFiniteStep").asInt() <= 5, id + ": " + s);
            }
        }
        // the reading is generated from the numbers: it names the first non-finite step the report holds
        JsonNode naive = report.get("runs").get(4).get("summary");
        assertEquals("separate-naive@fp32", report.get("runs").get(4).get("id").asText());
        assertTrue(r.out().replace('\n', ' ').contains("separate-naive went non-finite at step "
                + naive.get("firstNonFiniteStep").asInt()), r.out());
        assertTrue(r.out().contains("Report: " + out.resolve("report.json")));

        // the report's config reproduces the demo's runs through train
        CliRun again = CliRun.of("train", "--config", out.resolve("report.json").toString(), "--format", "json",
                "--quiet");
        assertEquals(Json.mapper().writeValueAsString(report.get("runs")),
                Json.mapper().writeValueAsString(Json.mapper().readTree(again.out()).get("runs")));
        try (var files = Files.list(out)) {
            assertEquals(java.util.List.of("report.html", "report.json"),
                    files.map(f -> f.getFileName().toString()).sorted().toList(), "no temporary file");
        }
        assertTrue(r.out().contains("Charts: " + out.resolve("report.html")), r.out());
        assertTrue(Files.readString(out.resolve("report.html")).contains("<figure class=\"chart\""));
    }

    @Test
    void theDemoPresetIsABundledConfigFileThatTrainTakes(@TempDir Path dir) throws Exception {
        CliRun r = CliRun.of("demo", "--print-config");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        assertEquals(dev.softmaxlab.experiments.config.Presets.text("demo.json"), r.out(), "the file as shipped");
        Path file = Files.writeString(dir.resolve("demo.json"), r.out());
        CliRun train = CliRun.of("train", "--config", file.toString(), "--print-config");
        assertEquals(ExitCodes.OK, train.code(), train.toString());
        assertEquals(DemoCommand.config(), dev.softmaxlab.experiments.config.TrainConfig.resolve(
                Json.mapper().readTree(train.out())));
        assertEquals("digits", DemoCommand.config().data().dataset());
    }

    @Test
    void demoFormatJsonPrintsTheReportForScripts(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("demo");
        CliRun r = CliRun.of("demo", "--format", "json", "-o", out.toString(), "--quiet");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        JsonNode printed = Json.mapper().readTree(r.out());
        JsonNode written = Json.mapper().readTree(Files.readString(out.resolve("report.json")));
        assertEquals("softmaxlab.report/1", printed.get("schema").asText());
        assertEquals(written.get("runs"), printed.get("runs"));
        assertEquals(written.get("config"), printed.get("config"));
        CliRun bad = CliRun.of("demo", "--format", "yaml", "-o", dir.resolve("x").toString(), "--quiet");
        assertEquals(ExitCodes.BAD_INPUT, bad.code(), bad.toString());
        assertTrue(bad.err().contains("--format yaml is not offered here: expected one of text, json"), bad.err());
    }

    @Test
    void aFileAsTheOutputDirectoryIsAUserErrorFoundBeforeTraining(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("taken");
        Files.writeString(file, "x");
        for (Path o : new Path[] {file, file.resolve("sub")}) {
            CliRun r = CliRun.of("demo", "-o", o.toString(), "--quiet");
            assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
            assertEquals(1, r.err().strip().split("\n").length, r.err());
            assertTrue(r.err().contains("is a file"), r.err());
            assertEquals("", r.out(), "nothing trained, nothing printed");
        }
        assertEquals("x", Files.readString(file));
    }
}
