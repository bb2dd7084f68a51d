package dev.softmaxlab.experiments.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.experiments.chart.Chart;
import dev.softmaxlab.experiments.chart.LineChart;
import dev.softmaxlab.experiments.chart.Series;
import dev.softmaxlab.experiments.schema.SchemaCheck;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainChartsTest {

    @TempDir
    Path tmp;

    private List<Chart> charts() throws Exception {
        return TrainCharts.charts(PlotInput.read(Reports.write(tmp, "r.json", Reports.handWritten())));
    }

    private static Series series(Chart c, String key) {
        return ((LineChart) c).series().stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void theHandWrittenReportIsAValidReport() throws Exception {
        assertEquals(List.of(), SchemaCheck.errors("report", Reports.handWritten()));
    }

    @Test
    void fiveChartsWithOneLinePerRunInReportOrder() throws Exception {
        List<Chart> charts = charts();
        assertEquals(List.of("train-loss", "logit-gradient-norm", "numeric-events", "test-accuracy", "loss-error"),
                charts.stream().map(Chart::id).toList());
        for (Chart c : charts) {
            assertEquals(List.of("fused@fp16", "separate@fp16"),
                    ((LineChart) c).series().stream().map(Series::key).toList(), c.id());
        }
    }

    @Test
    void nonFiniteValuesAreKeptNotDropped() throws Exception {
        Series loss = series(charts().get(0), "separate@fp16");
        assertArrayEquals(new double[] {1, 2, 3}, loss.x());
        assertArrayEquals(new double[] {2.5, Double.POSITIVE_INFINITY, Double.NaN}, loss.y());
    }

    @Test
    void eventsAreCumulativeOverTheLoggedSteps() throws Exception {
        // fused: 1, 2, 0 overflow events -> 1, 3, 3; separate: 0, then log0 1, then 4 NaN losses -> 0, 1, 5
        assertArrayEquals(new double[] {1, 3, 3}, series(charts().get(2), "fused@fp16").y());
        assertArrayEquals(new double[] {0, 1, 5}, series(charts().get(2), "separate@fp16").y());
    }

    @Test
    void accuracyIsInPercentAndErrorIsTheRelativeLossError() throws Exception {
        assertArrayEquals(new double[] {75}, series(charts().get(3), "fused@fp16").y());
        assertArrayEquals(new double[] {0.001, 0, 0.0001}, series(charts().get(4), "fused@fp16").y());
    }

    @Test
    void theFirstNonFiniteStepIsMarkedOnEveryChart() throws Exception {
        for (Chart c : charts()) {
            List<LineChart.Mark> marks = ((LineChart) c).marks();
            assertEquals(1, marks.size(), c.id());
            assertEquals("separate@fp16", marks.get(0).seriesKey());
            assertEquals(2.0, marks.get(0).x());
        }
    }

    @Test
    void theReadingNamesWhereTheRunWentNonFinite() throws Exception {
        var page = TrainCharts.page(PlotInput.read(Reports.write(tmp, "r.json", Reports.handWritten())));
        String reading = String.join(" ", page.reading());
        assertTrue(reading.contains("separate@fp16 at step 2 (in log)"), reading);
        assertTrue(reading.contains("fused@fp16 (75.0% test accuracy)"), reading);
    }
}
