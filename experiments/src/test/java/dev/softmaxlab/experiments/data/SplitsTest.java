package dev.softmaxlab.experiments.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class SplitsTest {

    /** A dataset whose one feature is the row index, so a split's rows can be traced back. */
    static Dataset indexed(int[] labels, int classes) {
        double[] x = new double[labels.length];
        Arrays.setAll(x, i -> i);
        List<String> names = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            names.add("c" + k);
        }
        return new Dataset("t", x, labels, labels.length, 1, names);
    }

    @RepeatedTest(20)
    void stratifiedDisjointCoveringAndOrdered(RepetitionInfo info) {
        SplitMix64 gen = new SplitMix64(info.getCurrentRepetition());
        int classes = 2 + gen.nextInt(5);
        int n = classes * 2 + gen.nextInt(200);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i < classes * 2 ? i % classes : gen.nextInt(classes); // at least 2 rows per class
        }
        double fraction = 0.05 + 0.9 * gen.nextDouble();
        Dataset data = indexed(labels, classes);
        Split split = Splits.stratified(data, fraction, new SplitMix64(99));

        boolean[] seen = new boolean[n];
        int[] trainCount = new int[classes];
        int[] testCount = new int[classes];
        for (Dataset part : List.of(split.train(), split.test())) {
            double previous = -1;
            for (int i = 0; i < part.rows(); i++) {
                int row = (int) part.features()[i];
                assertFalse(seen[row], "row " + row + " in both parts");
                seen[row] = true;
                assertEquals(labels[row], part.labels()[i]);
                assertTrue(row > previous, "rows keep their order");
                previous = row;
                (part == split.train() ? trainCount : testCount)[labels[row]]++;
            }
        }
        for (boolean s : seen) {
            assertTrue(s, "every row is in a part");
        }
        for (int k = 0; k < classes; k++) {
            int m = trainCount[k] + testCount[k];
            long expected = Math.min(m - 1, Math.max(1, Math.round(m * fraction)));
            assertEquals(expected, testCount[k], "class " + k + " of " + m + " rows at " + fraction);
            assertTrue(trainCount[k] >= 1 && testCount[k] >= 1);
        }
    }

    @Test
    void deterministicForAGeneratorStateAndVariesWithIt() {
        int[] labels = new int[100];
        Arrays.setAll(labels, i -> i % 3);
        Dataset data = indexed(labels, 3);
        Split a = Splits.stratified(data, 0.3, new SplitMix64(5));
        Split b = Splits.stratified(data, 0.3, new SplitMix64(5));
        Split c = Splits.stratified(data, 0.3, new SplitMix64(6));
        assertArrayEquals(a.test().features(), b.test().features(), 0.0);
        assertFalse(Arrays.equals(a.test().features(), c.test().features()));
        assertEquals(a.test().rows(), c.test().rows());
    }

    @Test
    void extremeFractionsStillLeaveEveryClassInBothParts() {
        int[] labels = new int[30];
        Arrays.setAll(labels, i -> i % 3); // 10 rows per class
        Dataset data = indexed(labels, 3);
        // round(10 · 0.01) = 0 is raised to 1; round(10 · 0.99) = 10 is lowered to 9.
        assertArrayEquals(new int[] {1, 1, 1}, DatasetsTest.counts(Splits.stratified(data, 0.01,
                new SplitMix64(2)).test()));
        assertArrayEquals(new int[] {1, 1, 1}, DatasetsTest.counts(Splits.stratified(data, 0.99,
                new SplitMix64(2)).train()));
    }

    @Test
    void aSingleRowClassStaysInTrain() {
        Dataset data = indexed(new int[] {0, 1, 0, 1, 2, 0, 1}, 3);
        Split split = Splits.stratified(data, 0.5, new SplitMix64(1));
        assertEquals(0, Arrays.stream(split.test().labels()).filter(l -> l == 2).count());
        assertEquals(1, Arrays.stream(split.train().labels()).filter(l -> l == 2).count());
        assertEquals(List.of("c0", "c1", "c2"), split.test().classNames());
    }

    @Test
    void noClassWithTwoRowsIsAnError() {
        Dataset data = indexed(new int[] {0, 1}, 2);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Splits.stratified(data, 0.5, new SplitMix64(1)));
        assertTrue(e.getMessage().contains("test part would be empty"), e.getMessage());
    }
}
