package dev.softmaxlab.app.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.experiments.report.EventCounts;
import dev.softmaxlab.experiments.report.RunSummary;
import dev.softmaxlab.experiments.report.TrainingReport;
import dev.softmaxlab.experiments.report.TrainingRun;
import dev.softmaxlab.experiments.config.TrainConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainReadingTest {

    private static EventCounts events(long clipped) {
        return new EventCounts(0, 0, 0, 0, 0, 0, 0, 0, clipped, 0, new EventCounts.NonFiniteCounts(0, 0, 0),
                new EventCounts.NonFiniteCounts(0, 0, 0));
    }

    private static TrainingRun run(String path, double acc, double testLoss, Integer nf, int skipped, String status,
                                   long clipped) {
        return new TrainingRun(path + "@fp32", path, "fp32", "fp32", List.of(), List.of(),
                new RunSummary(status, 50, 0.1, 0.9, testLoss, acc, nf, skipped, nf == null ? 0 : 10,
                        1.0, 2.0, 3.0, events(clipped)));
    }

    private static String read(TrainingRun... runs) {
        TrainingReport report = new TrainingReport(TrainingReport.SCHEMA, null, null, TrainConfig.DEFAULTS, null,
                List.of(runs), Map.of());
        return TrainReading.paragraph(report).replace('\n', ' ');
    }

    @Test
    void saysWhatEachRunDidWithItsOwnNumbers() {
        String text = read(run("fused", 0.953, 0.2, null, 0, "completed", 0),
                run("separate", 0.5, 1.0, 7, 12, "completed", 0),
                run("separate-naive", 0.0, Double.NaN, 3, 0, "completed", 0),
                run("separate-clipped", 0.6, 1.0, null, 0, "completed", 4321));
        assertTrue(text.contains("fused stayed finite (95.3% test accuracy)"), text);
        assertTrue(text.contains("separate went non-finite at step 7, skipped 12 of 50 updates and ended at 50.0% "
                + "test accuracy"), text);
        assertTrue(text.contains("separate-naive went non-finite at step 3 and its weights turned NaN (0.0% test "
                + "accuracy)"), text);
        assertTrue(text.contains("separate-clipped stayed finite but clipped 4321 probabilities (60.0% test "
                + "accuracy)"), text);
        assertTrue(text.contains("fused ended best, 95.3 points above separate-naive."), text);
    }

    @Test
    void aStoppedRunAndAllNonFinite() {
        String text = read(run("fused", 0.2, 1, 4, 0, "stopped", 0), run("separate", 0.1, 1, 2, 0, "stopped", 0));
        assertTrue(text.contains("fused went non-finite at step 4 and was stopped there (20.0% test accuracy)"), text);
        assertTrue(text.contains("No path stayed finite."), text);
    }

    @Test
    void closeResultsAreCalledClose() {
        String text = read(run("fused", 0.951, 0.2, null, 0, "completed", 0),
                run("separate", 0.949, 0.2, null, 0, "completed", 0));
        assertTrue(text.contains("All paths ended within half a point of each other."), text);
    }

    @Test
    void wrapsAtTheWidth() {
        String wrapped = TrainReading.wrap("aaa bbb ccc ddd", 7);
        assertEquals("aaa bbb\nccc ddd\n", wrapped);
    }
}
