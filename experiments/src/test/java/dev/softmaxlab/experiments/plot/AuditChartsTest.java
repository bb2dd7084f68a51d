package dev.softmaxlab.experiments.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softmaxlab.experiments.chart.Chart;
import dev.softmaxlab.experiments.chart.DotChart;
import dev.softmaxlab.experiments.chart.HeatMap;
import dev.softmaxlab.experiments.html.Page;
import dev.softmaxlab.experiments.html.Table;
import dev.softmaxlab.experiments.schema.SchemaCheck;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit page, drawn from a document the real Auditor wrote on {@link PlotTestDocuments#AUDIT_LOGITS}. */
class AuditChartsTest {

    private static final List<String> RUNS = List.of("fused@fp32", "fused@fp16", "separate-naive@fp32",
            "separate-naive@fp16");

    @TempDir
    Path tmp;

    private PlotInput in;
    private Page page;

    @BeforeEach
    void draw() throws Exception {
        in = PlotInput.read(PlotTestDocuments.realAudit(tmp));
        page = Plot.page(in);
    }

    private Chart chart(String id) {
        return page.figures().stream().map(Page.Figure::chart).filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no chart " + id));
    }

    private static int row(HeatMap h, String run) {
        return h.rows().indexOf(run);
    }

    @Test
    void anAuditDocumentIsRecognisedAndValid() {
        assertEquals(PlotInput.Kind.AUDIT, in.kind());
        assertEquals(List.of(), SchemaCheck.errors("audit", in.document()));
        assertEquals(List.of("audit-loss-error", "audit-headroom", "audit-events"),
                page.figures().stream().map(f -> f.chart().id()).toList());
    }

    @Test
    void lossErrorShowsTheDocumentsQuantilesPerRunOnALogScale() {
        HeatMap h = (HeatMap) chart("audit-loss-error");
        assertEquals(RUNS, h.rows());
        assertEquals(List.of("median", "p99", "max"), h.columns());
        assertTrue(h.scale().log());
        JsonNode paths = in.document().get("paths");
        for (JsonNode p : paths) {
            int r = row(h, p.get("path").asText() + "@" + p.get("precision").asText());
            JsonNode q = p.get("lossErrorUlps");
            assertEquals(q.get("median").asDouble(), h.values()[r][0], 0);
            assertEquals(q.get("p99").asDouble(), h.values()[r][1], 0);
            assertEquals(q.get("max").asDouble(), h.values()[r][2], 0);
        }
        // fused in fp32 on three tame rows: within a couple of ulps of the exact loss
        assertTrue(h.values()[row(h, "fused@fp32")][2] <= 2, "fused fp32 max " + h.values()[0][2]);
    }

    @Test
    void headroomMarksOneTimesAndCrossesWhatBreaksOnTheLogitsAsGiven() {
        DotChart d = (DotChart) chart("audit-headroom");
        assertTrue(d.y().log());
        assertEquals(List.of(new DotChart.Threshold(1, "1× = the logits as given")), d.thresholds());
        assertEquals(2 * RUNS.size(), d.dots().size());
        DotChart.Dot naiveWorst = d.dots().stream()
                .filter(x -> x.label().equals("separate-naive@fp16 · worst sampled row")).findFirst().orElseThrow();
        // 11.08984375 / 12: the scale at which 12 f first rounds to the fp16 value whose exp overflows (see the
        // logits' comment); the bisection answers within 0.4% below it
        assertTrue(naiveWorst.value() <= 11.08984375 / 12 && naiveWorst.value() > 0.996 * 11.08984375 / 12,
                "separate-naive fp16 worst " + naiveWorst.value());
        assertFalse(naiveWorst.passed());
        for (DotChart.Dot x : d.dots()) {
            assertEquals(x.value() >= 1, x.passed(), x.label());
            if (x.path().equals("fused")) {
                assertTrue(x.value() > 100, x.label() + " " + x.value());
            }
        }
    }

    @Test
    void eventsCountTheBrokenRowAndItsOverflow() {
        HeatMap h = (HeatMap) chart("audit-events");
        assertEquals(RUNS, h.rows());
        int broken = h.columns().indexOf("broken rows");
        int overflow = h.columns().indexOf("exp overflow");
        assertEquals(h.columns().size() - 1, broken);
        // only separate-naive in fp16 breaks, on row 1 (e^12 > 65504), by an exp overflow
        for (String run : RUNS) {
            double expected = run.equals("separate-naive@fp16") ? 1 : 0;
            assertEquals(expected, h.values()[row(h, run)][broken], run);
        }
        assertTrue(h.values()[row(h, "separate-naive@fp16")][overflow] >= 1);
        assertEquals(0, h.values()[row(h, "fused@fp16")][overflow]);
    }

    @Test
    void thePageCarriesTheInputStatisticsAndTheGeneratedReading() {
        List<String> reading = page.reading();
        for (JsonNode r : in.document().get("reading")) {
            assertTrue(reading.contains(r.asText()), r.asText());
        }
        assertTrue(reading.stream().anyMatch(s -> s.contains("separate-naive breaks at 0.92")), reading.toString());
        Table input = page.tables().get(0);
        assertEquals("Input statistics", input.caption());
        assertTrue(input.rows().contains(List.of("rows × classes", "3 × 2")), input.rows().toString());
        assertTrue(input.rows().contains(List.of("finite logit range", "0 to 12")), input.rows().toString());
        assertTrue(page.config().has("headroomRows"));
        assertTrue(page.provenance().isObject());
    }
}
