package dev.softmaxlab.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.schema.SchemaCheck;
import dev.softmaxlab.experiments.spec.SpecLoader;
import dev.softmaxlab.experiments.spec.SpecTexts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The documents a sweep writes match their published schemas (checked by an independent validator). */
class SweepDocumentsSchemaTest {

    @TempDir
    Path tmp;

    @Test
    void summariesOfPassingFailingShardedAndMergedSweepsMatchTheSweepSchema() throws Exception {
        var spec = SpecLoader.parse(SpecTexts.SMALL.replace("\"equals\":0}", "\"equals\":0},"
                + "{\"where\":{\"path\":\"separate-naive\"},\"metric\":\"finalTrainLoss\",\"lte\":1}"), "s");
        FakeRunner failing = new FakeRunner(c -> c.optimizer().lr() == 0.5 && c.model().logitScale() == 1);
        new Sweep(failing, SweepListener.NONE).run(spec, new SweepOptions(2, Shard.ALL, false, false),
                tmp.resolve("all"), List.of("sweep"));
        for (int i = 1; i <= 2; i++) {
            new Sweep(new FakeRunner(), SweepListener.NONE).run(spec, new SweepOptions(1, new Shard(i, 2), false, true),
                    tmp.resolve("s" + i), List.of("sweep"));
        }
        SweepMerge.merge(List.of(tmp.resolve("s1"), tmp.resolve("s2")), tmp.resolve("m"), List.of("merge"));
        for (String d : List.of("all", "s1", "s2", "m")) {
            JsonNode summary = Json.mapper().readTree(tmp.resolve(d).resolve("summary.json").toFile());
            assertEquals(List.of(), SchemaCheck.errors("sweep", summary), d);
        }
        JsonNode all = Json.mapper().readTree(tmp.resolve("all/summary.json").toFile());
        assertEquals(1, all.get("failures").size()); // the failing shape is covered too
        assertEquals("fail", all.get("expectations").get(1).get("status").asText());
    }

    @Test
    void runFilesMatchTheReportSchemaAndBrokenSummariesDoNot() throws Exception {
        var spec = SpecLoader.parse(SpecTexts.SMALL, "s");
        new Sweep(new FakeRunner(), SweepListener.NONE).run(spec, new SweepOptions(2, Shard.ALL, false, false),
                tmp.resolve("r"), List.of("sweep"));
        try (Stream<Path> files = Files.list(tmp.resolve("r/runs"))) {
            for (Path f : files.toList()) {
                assertEquals(List.of(), SchemaCheck.errors("report", Json.mapper().readTree(f.toFile())), f.toString());
            }
        }
        ObjectNode summary = (ObjectNode) Json.mapper().readTree(tmp.resolve("r/summary.json").toFile());
        ((ObjectNode) summary.get("runs").get(0)).put("id", "../../etc");
        assertFalse(SchemaCheck.errors("sweep", summary).isEmpty());
    }
}
