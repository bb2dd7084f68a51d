package dev.softmaxlab.experiments.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

class BatchOrderTest {

    @RepeatedTest(5)
    void eachEpochVisitsEveryRowOnceAndTheSameSeedGivesTheSameOrder(RepetitionInfo info) {
        int rows = 7 + 13 * info.getCurrentRepetition();
        long seed = 1000L * info.getCurrentRepetition();
        BatchOrder a = new BatchOrder(rows, seed);
        BatchOrder b = new BatchOrder(rows, seed);
        int batch = 5;
        int[] epochA = new int[3 * rows];
        int[] ia = new int[batch];
        int[] ib = new int[batch];
        for (int filled = 0; filled < epochA.length; filled += batch) {
            a.next(ia, batch);
            b.next(ib, batch);
            assertArrayEquals(ia, ib);
            System.arraycopy(ia, 0, epochA, filled, Math.min(batch, epochA.length - filled));
        }
        for (int e = 0; e < 3; e++) {
            int[] epoch = Arrays.copyOfRange(epochA, e * rows, (e + 1) * rows);
            Arrays.sort(epoch);
            for (int i = 0; i < rows; i++) {
                assertEquals(i, epoch[i], "epoch " + e + " is a permutation");
            }
        }
        assertFalse(Arrays.equals(Arrays.copyOfRange(epochA, 0, rows), Arrays.copyOfRange(epochA, rows, 2 * rows)),
                "each epoch is reshuffled");
    }
}
