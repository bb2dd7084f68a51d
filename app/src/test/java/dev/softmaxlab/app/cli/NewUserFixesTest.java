package dev.softmaxlab.app.cli;

import static dev.softmaxlab.app.cli.HostileInputTest.assertUserError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.softmaxlab.experiments.report.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 7, "what a new user ran into": each test fails on the code before its fix. */
class NewUserFixesTest {

    @TempDir
    Path dir;

    private static final String NO_HEADER = "5.1,3.5,setosa\n4.9,3.0,setosa\n7.0,3.2,versicolor\n6.4,3.2,versicolor\n"
            + "6.3,3.3,virginica\n5.8,2.7,virginica\n5.0,3.6,setosa\n6.9,3.1,versicolor\n7.1,3.0,virginica\n"
            + "5.4,3.9,setosa\n5.5,2.3,versicolor\n6.5,3.0,virginica\n";

    @Test
    void aCsvWhoseFirstRowIsDataIsStoppedAndNoHeaderReadsIt() throws IOException {
        Path csv = Files.writeString(dir.resolve("iris.csv"), NO_HEADER);
        assertUserError(CliRun.of("train", "--dataset", "csv:" + csv, "--steps", "2"),
                "line 1 looks like data, not a header", "--no-header");
        CliRun ok = CliRun.of("train", "--dataset", "csv:" + csv, "--no-header", "--steps", "2", "--paths", "fused",
                "--quiet");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("loaded 12 rows (9 train, 3 test), 2 features, 3 classes: 0='setosa' "
                + "1='versicolor' 2='virginica'"), ok.out());
    }

    @Test
    void theReportSaysWhatWasLoadedAndHowLabelsMapToClasses() throws IOException {
        Path csv = Files.writeString(dir.resolve("iris.csv"), "a,b,kind\n" + NO_HEADER);
        CliRun r = CliRun.of("train", "--dataset", "csv:" + csv, "--steps", "2", "--paths", "fused", "--quiet",
                "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode data = Json.mapper().readTree(r.out()).get("data");
        assertEquals(12, data.get("rows").asInt());
        assertEquals(2, data.get("features").asInt());
        assertEquals(3, data.get("classes").asInt());
        assertEquals("[\"setosa\",\"versicolor\",\"virginica\"]", data.get("classNames").toString());
        assertTrue(Json.mapper().readTree(r.out()).get("config").get("header").asBoolean());
    }

    @Test
    void noHeaderIsASpecKeyToo() throws IOException {
        Path spec = Files.writeString(dir.resolve("s.json"), "{\"schema\":\"softmaxlab.spec/1\",\"name\":\"n\","
                + "\"description\":\"d\",\"base\":{\"dataset\":\"csv:x.csv\",\"header\":false},"
                + "\"grid\":{\"header\":[true,false]}}");
        CliRun v = CliRun.of("validate", spec.toString());
        assertEquals(0, v.code(), v.err());
        Path bad = Files.writeString(dir.resolve("b.json"), "{\"schema\":\"softmaxlab.spec/1\",\"name\":\"n\","
                + "\"description\":\"d\",\"base\":{\"dataset\":\"csv:x.csv\",\"header\":\"no\"}}");
        assertUserError(CliRun.of("validate", bad.toString()), "$.base.header");
    }

    @Test
    void anIdIsCarriedThroughAndAnIntegralLabelIsAccepted() throws IOException {
        Path in = Files.writeString(dir.resolve("c.jsonl"), "{\"id\":\"row-7\",\"logits\":[1,2,3],\"label\":2.0}\n"
                + "{\"logits\":[1,2],\"label\":1,\"id\":12345678901234567890}\n{\"logits\":[1,2],\"label\":0}\n");
        CliRun r = CliRun.of("probe", "--input", in.toString(), "--format", "jsonl", "--paths", "fused",
                "--precision", "fp64", "--vectors", "none");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("{\"case\":0,\"id\":\"row-7\",\"classes\":3"), lines.get(0));
        assertTrue(lines.get(1).startsWith("{\"case\":1,\"id\":12345678901234567890,"), lines.get(1));
        assertFalse(lines.get(2).contains("\"id\""), lines.get(2));
        Path half = Files.writeString(dir.resolve("h.jsonl"), "{\"logits\":[1,2,3],\"label\":2.5}\n");
        assertUserError(CliRun.of("probe", "--input", half.toString()), "line 1", "'2.5' is not a whole number");
    }

    @Test
    void aBareNanFromPythonIsExplainedInTheToolsWords() throws IOException {
        Path in = Files.writeString(dir.resolve("c.jsonl"), "{\"logits\": [1.0, NaN], \"label\": 0}\n");
        CliRun r = CliRun.of("probe", "--input", in.toString());
        assertUserError(r, "line 1", "write it as the string \"NaN\"");
        assertFalse(r.err().contains("JsonReadFeature") || r.err().contains("ALLOW_NON_NUMERIC"), r.err());
    }

    @Test
    void emptyStdinSaysZeroCases() {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream("\n\n".getBytes(StandardCharsets.UTF_8)));
            CliRun r = CliRun.of("probe", "--input", "-");
            assertEquals(0, r.code(), r.err());
            assertEquals("softmaxlab: 0 cases in --input - (it is empty or holds only blank lines)\n", r.err());
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void textProbeShowsVectorsOfSmallRowsWhenAsked() {
        CliRun plain = CliRun.of("probe", "--logits", "0,0", "--label", "0", "--paths", "fused", "--precision", "fp64");
        assertFalse(plain.out().contains("probabilities"), plain.out());
        CliRun r = CliRun.of("probe", "--logits", "0,0", "--label", "0", "--paths", "fused", "--precision", "fp64",
                "--vectors", "all");
        assertEquals(0, r.code(), r.err());
        // softmax of equal logits is [0.5, 0.5]; the gradient p - onehot(0) is [-0.5, 0.5]
        assertTrue(r.out().lines().anyMatch(l -> l.matches("fused\\s+fp64\\s+gradient\\s+\\[-0\\.5, 0\\.5]\\s*")),
                r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("fused\\s+fp64\\s+probabilities\\s+\\[0\\.5, 0\\.5]\\s*")),
                r.out());
        CliRun wide = CliRun.of("probe", "--logits", "0,".repeat(16) + "0", "--label", "0", "--paths", "fused",
                "--vectors", "gradient");
        assertTrue(wide.out().contains("vectors not shown for 17 classes, more than 16"), wide.out());
    }

    @Test
    void listAsJsonMatchesItsSchema() throws Exception {
        CliRun r = CliRun.of("list", "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode doc = Json.mapper().readTree(r.out());
        var schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(Json.mapper().readTree(CliRun.of("schema", "list").out()));
        assertEquals(List.of(), schema.validate(doc).stream().map(Object::toString).toList());
        assertTrue(doc.get("experiments").size() >= 1);
        assertEquals("keras-clip", doc.get("experiments").findValuesAsText("name").stream()
                .filter("keras-clip"::equals).findFirst().orElse(null));
    }

    @Test
    void completionPrintsABashScriptForEveryCommandAndOption() {
        CliRun r = CliRun.of("completion");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("complete -F _complete_softmaxlab"), r.out().substring(0, 200));
        for (String word : List.of("probe", "sweep", "merge", "--max-file-size", "--header", "--vectors")) {
            assertTrue(r.out().contains(word), word);
        }
    }

    @Test
    void outputIntoAMissingDirectoryIsRefusedButDemoAndSweepCreateTheirOwn() throws IOException {
        assertUserError(CliRun.of("train", "--steps", "1", "-o", dir.resolve("typo/r.json").toString()),
                "the directory " + dir.resolve("typo") + " does not exist");
        Path spec = Files.writeString(dir.resolve("s.json"), SweepFixtures.SPEC);
        CliRun s = CliRun.of("sweep", spec.toString(), "-o", dir.resolve("new").toString(), "-q");
        assertEquals(0, s.code(), s.err());
        assertTrue(Files.isRegularFile(dir.resolve("new/summary.json")));
    }
}
