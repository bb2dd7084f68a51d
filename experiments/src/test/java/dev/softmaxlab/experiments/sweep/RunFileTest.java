package dev.softmaxlab.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.experiments.config.TrainConfig;
import dev.softmaxlab.experiments.report.Json;
import org.junit.jupiter.api.Test;

class RunFileTest {

    @Test
    void aReportIsReadAsTypedEntriesInItsOrder() {
        ObjectNode report = FakeRunner.report(TrainConfig.DEFAULTS);
        RunFile f = RunFile.of(report).orElseThrow();
        assertEquals("softmaxlab.report/1", f.schema());
        assertEquals(report.get("runs").size(), f.runs().size());
        RunFile.Entry first = f.runs().get(0);
        assertEquals(report.get("runs").get(0).get("id").asText(), first.id());
        assertEquals(report.get("runs").get(0).get("summary"), first.summary());
    }

    @Test
    void aDocumentOfAnotherShapeIsNotARunFile() throws Exception {
        for (String bad : new String[] {"[]", "{\"schema\":\"softmaxlab.report/1\",\"config\":{},\"runs\":\"x\"}",
                "{\"schema\":\"softmaxlab.report/1\",\"config\":{},\"runs\":[{\"path\":\"fused\",\"precision\":\"fp32\"}]}",
                "{\"schema\":\"softmaxlab.report/1\",\"config\":[],\"runs\":[]}",
                "{\"config\":{},\"runs\":[]}"}) {
            assertTrue(RunFile.of(Json.mapper().readTree(bad)).isEmpty(), bad);
        }
    }
}
