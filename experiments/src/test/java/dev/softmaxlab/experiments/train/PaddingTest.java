package dev.softmaxlab.experiments.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.experiments.config.TrainConfig;
import dev.softmaxlab.experiments.report.Json;
import org.junit.jupiter.api.Test;

/** padFraction: training rows whose label becomes the ignore index, so the mean's denominator matters in training. */
class PaddingTest {

    private static TrainConfig config(String json) throws Exception {
        return TrainConfig.resolve(Json.mapper().readTree(json));
    }

    @Test
    void aShareOfTheRowsIsMarkedFromTheSeedAndOnlyTheLabelChanges() throws Exception {
        int[] labels = new int[4000];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 3;
        }
        TrainConfig c = config("{\"padFraction\":0.25,\"ignoreIndex\":-7}");
        int[] padded = PathRun.padded(labels, c);
        int marked = 0;
        for (int i = 0; i < labels.length; i++) {
            if (padded[i] == -7) {
                marked++;
            } else {
                assertEquals(labels[i], padded[i]);
            }
        }
        // binomial(4000, 0.25): mean 1000, standard deviation 27; 5 deviations either side
        assertTrue(marked > 863 && marked < 1137, "marked " + marked);
        assertArrayEquals(padded, PathRun.padded(labels, c), "the same rows for every path and precision");
        assertTrue(!java.util.Arrays.equals(padded, PathRun.padded(labels, config("{\"padFraction\":0.25,"
                + "\"ignoreIndex\":-7,\"seed\":43}"))), "another seed, other rows");
        assertSame(labels, PathRun.padded(labels, config("{}")), "no padding: the labels as they are");
    }

    @Test
    void accuracyLeavesPaddingRowsOut() {
        double[] logits = {2, 1, 0, 1, 2, 0, 0, 1, 2};   // [3, 3]: predictions 0, 1, 2
        assertEquals(2.0 / 3, PathRun.accuracy(logits, new int[] {0, 1, 0}, 3, 3), 1e-15);
        assertEquals(1.0, PathRun.accuracy(logits, new int[] {0, -100, -100}, 3, 3), "1 of 1 kept row");
        assertTrue(Double.isNaN(PathRun.accuracy(logits, new int[] {-100, -100, -100}, 3, 3)), "no kept row");
    }

    @Test
    void aPaddedTrainingRunStaysFiniteAndItsTrainLossIsAMeanOverTheKeptRows() throws Exception {
        // half the rows padded: if the mean counted them (PyTorch #73205) the train loss would be about half of the
        // unpadded run's; over the kept rows it stays of the same size
        var padded = Trainer.standard().withThreads(1).run(config("{\"padFraction\":0.5,\"steps\":100,"
                + "\"paths\":[\"fused\"]}"), java.util.List.of(), TrainListener.NONE);
        var plain = Trainer.standard().withThreads(1).run(config("{\"steps\":100,\"paths\":[\"fused\"]}"),
                java.util.List.of(), TrainListener.NONE);
        double a = padded.runs().get(0).summary().finalTrainLoss();
        double b = plain.runs().get(0).summary().finalTrainLoss();
        assertTrue(Double.isFinite(a), "padded train loss " + a);
        assertTrue(a > 0.6 * b && a < 1.6 * b, "padded " + a + " vs unpadded " + b);
        assertEquals(0, padded.runs().get(0).summary().totalNonFinite());
    }
}
