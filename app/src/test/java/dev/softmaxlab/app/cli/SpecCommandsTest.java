package dev.softmaxlab.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.softmaxlab.experiments.report.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** validate, list, schema, and the ways sweep and merge refuse bad input, through the real command line. */
class SpecCommandsTest {

    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static String spec(String base, String grid) {
        return "{\"schema\":\"softmaxlab.spec/1\",\"name\":\"t\",\"description\":\"d\",\"base\":" + base
                + ",\"grid\":" + grid + "}";
    }

    private static void assertOneLine(CliRun r) {
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("softmaxlab: "), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"logitScal\":10}|{}|$.base.logitScal: unknown train option 'logitScal' (did you mean 'logitScale'?)",
        "{}|{\"logitScale\":[1,\"big\"]}|$.grid.logitScale[1]: logitScale = \"big\": must be a number",
        "{}|{\"lr\":[]}|$.grid.lr: empty axis",
        "{}|{\"zip\":[{\"lr\":[0.1],\"seed\":[1,2]}]}|$.grid.zip[0]: zip axes vary together and need equal lengths",
    })
    void badSpecsGiveExit2AndOneLineWithTheirJsonPath(String base, String grid, String message) throws IOException {
        Path p = file("bad.json", spec(base, grid));
        CliRun v = CliRun.of("validate", p.toString());
        assertEquals(2, v.code());
        assertOneLine(v);
        assertTrue(v.err().contains(message), v.err());
        CliRun s = CliRun.of("sweep", p.toString(), "-o", dir.resolve("out").toString());
        assertEquals(2, s.code());
        assertOneLine(s);
        assertTrue(s.err().contains(message), s.err());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void malformedJsonNamesItsLineAndColumn() throws IOException {
        Path p = file("broken.json", "{\n  \"schema\": \"softmaxlab.spec/1\",\n  \"name\": \"x\",\n  \"grid\": {\"lr\": [0.1,]}\n}\n");
        CliRun r = CliRun.of("sweep", p.toString(), "-o", dir.resolve("out").toString());
        assertEquals(2, r.code());
        assertOneLine(r);
        assertTrue(r.err().contains("line 4, column 23: not valid JSON"), r.err());
    }

    @Test
    void validateListsEveryProblem() throws IOException {
        Path p = file("two.json", spec("{\"lrr\":1,\"stepz\":5}", "{}"));
        CliRun r = CliRun.of("validate", p.toString());
        assertEquals(2, r.code());
        assertEquals(2, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("did you mean 'lr'"), r.err());
        assertTrue(r.err().contains("did you mean 'steps'"), r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"4/3", "0/3", "a/b", "1/0"})
    void badShardsGiveExit2(String shard) throws IOException {
        Path p = file("ok.json", spec("{\"steps\":5}", "{}"));
        CliRun r = CliRun.of("sweep", p.toString(), "-o", dir.resolve("out").toString(), "--shard", shard);
        assertEquals(2, r.code(), r.err());
        assertOneLine(r);
        assertTrue(r.err().contains("shard"), r.err());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void badJobsAndAFileAsOutputDirectoryAreUserErrors() throws IOException {
        Path p = file("ok.json", spec("{\"steps\":5}", "{}"));
        CliRun jobs = CliRun.of("sweep", p.toString(), "-o", dir.resolve("out").toString(), "--jobs", "0");
        assertEquals(2, jobs.code(), jobs.err());
        assertOneLine(jobs);
        assertTrue(jobs.err().contains("--jobs 0"), jobs.err());
        Path file = file("taken", "x");
        CliRun out = CliRun.of("sweep", p.toString(), "-o", file.toString());
        assertEquals(2, out.code(), out.err());
        assertOneLine(out);
        assertTrue(out.err().contains("is a file, not a directory"), out.err());
        assertEquals("x", Files.readString(file));
    }

    @Test
    void aFileInTheWayOfTheOutputDirectoryIsAUserError() throws IOException {
        Path p = file("ok.json", spec("{\"steps\":5}", "{}"));
        Path file = file("taken", "x");
        String below = file.resolve("sub").resolve("out").toString();
        CliRun sweep = CliRun.of("sweep", p.toString(), "-o", below);
        assertEquals(2, sweep.code(), sweep.err());
        assertOneLine(sweep);
        assertTrue(sweep.err().contains(file + " is a file"), sweep.err());
        CliRun merge = CliRun.of("merge", dir.toString(), "-o", below);
        assertEquals(2, merge.code(), merge.err());
        assertOneLine(merge);
        assertTrue(merge.err().contains(file + " is a file"), merge.err());
        assertEquals("x", Files.readString(file));
    }

    @Test
    void specSourceMustBeExactlyOne() throws IOException {
        CliRun none = CliRun.of("sweep", "-o", dir.resolve("out").toString());
        assertEquals(2, none.code());
        assertTrue(none.err().contains("no spec"), none.err());
        CliRun both = CliRun.of("sweep", "x.json", "--builtin", "keras-clip", "-o", dir.resolve("out").toString());
        assertEquals(2, both.code());
        CliRun unknown = CliRun.of("sweep", "--builtin", "keras-clp", "-o", dir.resolve("out").toString());
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("did you mean 'keras-clip'"), unknown.err());
        CliRun missing = CliRun.of("validate", dir.resolve("nope.json").toString());
        assertEquals(2, missing.code());
        assertOneLine(missing);
    }

    @Test
    void everyBundledSpecValidatesAndIsListedWithItsQuestion() {
        CliRun list = CliRun.of("list");
        assertEquals(0, list.code(), list.err());
        List<String> rows = list.out().lines().skip(2).toList();
        assertTrue(rows.size() >= 6, list.out());
        for (String row : rows) {
            String name = row.split("\\s+")[0];
            assertTrue(row.contains("?"), "the question of " + name + ": " + row);
            CliRun v = CliRun.of("validate", "--builtin", name);
            assertEquals(0, v.code(), v.err());
            assertTrue(v.out().contains(": ok, spec '" + name + "'"), v.out());
        }
    }

    @Test
    void schemaPrintsEachDocumentsSchemaAndAProbeDocumentMatchesItsSchema() throws Exception {
        for (String d : List.of("spec", "report", "sweep", "probe")) {
            CliRun r = CliRun.of("schema", d);
            assertEquals(0, r.code(), r.err());
            assertEquals("softmaxlab." + d + "/1", Json.mapper().readTree(r.out()).at("/properties/schema/const").asText());
        }
        CliRun bad = CliRun.of("schema", "repot");
        assertEquals(2, bad.code());
        assertOneLine(bad);

        var schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(Json.mapper().readTree(CliRun.of("schema", "probe").out()));
        for (String[] args : List.of(
                new String[] {"probe", "--logits", "1000,0,-5", "--label", "1", "--format", "json"},
                new String[] {"probe", "--logits", "2,1,0.1", "--target", "0.7,0.2,0.1", "--precision", "fp16",
                    "--vectors", "none", "--format", "json"})) {
            CliRun p = CliRun.of(args);
            assertEquals(0, p.code(), p.err());
            JsonNode doc = Json.mapper().readTree(p.out());
            assertEquals(List.of(), schema.validate(doc).stream().map(Object::toString).toList());
        }
    }

    @Test
    void trainReportsMatchTheReportSchemaIncludingNonFiniteValues() throws Exception {
        var schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(Json.mapper().readTree(CliRun.of("schema", "report").out()));
        CliRun r = CliRun.of("train", "--samples", "90", "--steps", "6", "--log-every", "1", "--eval-every", "3",
                "--logit-scale", "1000", "--precision", "fp32,fp16", "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode doc = Json.mapper().readTree(r.out());
        assertTrue(r.out().contains("\"NaN\""), "the case covers non-finite values");
        boolean firstNonFinite = false;
        for (JsonNode run : doc.get("runs")) {
            for (JsonNode step : run.get("steps")) {
                firstNonFinite |= step.path("firstNonFinite").isObject();
            }
        }
        assertTrue(firstNonFinite, "the case covers a firstNonFinite object");
        assertEquals(List.of(), schema.validate(doc).stream().map(Object::toString).toList());
    }

    @Test
    void mergeRefusesWhatIsNotASweepOutput() throws IOException {
        Files.createDirectories(dir.resolve("a"));
        Files.writeString(dir.resolve("a/summary.json"), "{\"schema\":\"softmaxlab.report/1\"}");
        CliRun r = CliRun.of("merge", dir.resolve("a").toString(), "-o", dir.resolve("m").toString());
        assertEquals(2, r.code());
        assertOneLine(r);
        assertTrue(r.err().contains("not a sweep summary"), r.err());
        CliRun missing = CliRun.of("merge", dir.resolve("nothing").toString(), "-o", dir.resolve("m").toString());
        assertEquals(2, missing.code());
        try (Stream<Path> s = Files.list(dir)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().equals("m")));
        }
    }
}
