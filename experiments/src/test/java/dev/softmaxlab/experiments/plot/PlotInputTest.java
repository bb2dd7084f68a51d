package dev.softmaxlab.experiments.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.core.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What plot refuses, and how it says so: one line naming the file, what it found and what to give. */
class PlotInputTest {

    @TempDir
    Path tmp;

    private String refused(Path p) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Plot.page(PlotInput.read(p)));
        assertEquals(-1, e.getMessage().indexOf('\n'), e.getMessage());
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aFileThatIsNotJsonIsNotASoftmaxlabDocument() throws Exception {
        Path f = Files.writeString(tmp.resolve("notes.txt"), "loss went up\n");
        String m = refused(f);
        assertTrue(m.contains("is not a softmaxlab document"), m);
        assertTrue(m.contains("give a train report"), m);
    }

    @Test
    void jsonWithoutASoftmaxlabSchemaIsNotASoftmaxlabDocument() throws Exception {
        String m = refused(Files.writeString(tmp.resolve("x.json"), "{\"schema\":\"other/1\",\"runs\":[]}"));
        assertTrue(m.contains("is not a softmaxlab document (it has no \"schema\""), m);
        m = refused(Files.writeString(tmp.resolve("y.json"), "[1,2]"));
        assertTrue(m.contains("is not a softmaxlab document"), m);
    }

    @Test
    void aNewerSchemaVersionIsRefusedNamingBothVersions() throws Exception {
        ObjectNode doc = Reports.handWritten();
        doc.put("schema", "softmaxlab.report/2");
        String m = refused(Reports.write(tmp, "new.json", doc));
        assertTrue(m.contains("is softmaxlab.report/2, newer than this softmaxlab reads (softmaxlab.report/1)"), m);
    }

    @Test
    void aDocumentPlotDoesNotDrawIsNamed() throws Exception {
        String m = refused(Files.writeString(tmp.resolve("spec.json"), "{\"schema\":\"softmaxlab.spec/1\"}"));
        assertTrue(m.contains("is a softmaxlab.spec/1 document, which plot does not draw"), m);
    }

    @Test
    void anEmptyDirectoryIsNotASweep() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("empty"));
        String m = refused(dir);
        assertTrue(m.contains("has no summary.json, so it is not a finished sweep directory"), m);
    }

    @Test
    void aReportWithNoStepsIsRefusedNamingTheRun() throws Exception {
        ObjectNode doc = Reports.handWritten();
        ((ObjectNode) doc.get("runs").get(1)).putArray("steps");
        String m = refused(Reports.write(tmp, "nosteps.json", doc));
        assertTrue(m.contains("run separate@fp16 has no logged steps"), m);
    }

    @Test
    void aReportWithNoRunsIsRefused() throws Exception {
        ObjectNode doc = Reports.handWritten();
        doc.putArray("runs");
        assertTrue(refused(Reports.write(tmp, "noruns.json", doc)).contains("has no runs"));
    }

    @Test
    void aMistypedFieldIsNamedWithItsPath() throws Exception {
        ObjectNode doc = Reports.handWritten();
        ObjectNode step = (ObjectNode) ((ArrayNode) doc.get("runs").get(0).get("steps")).get(1);
        step.put("loss", "lots");
        String m = refused(Reports.write(tmp, "bad.json", doc));
        assertTrue(m.contains("runs[0].steps[1].loss is \"lots\", not a number"), m);
    }

    @Test
    void aMissingFileIsNamed() {
        String m = refused(tmp.resolve("missing.json"));
        assertTrue(m.contains("no such file or directory"), m);
    }
}
