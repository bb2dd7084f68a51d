package dev.softmaxlab.experiments.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SeedsTest {

    @Test
    void splitMix64MatchesTheReferenceSequence() {
        // First outputs of the reference splitmix64.c (Vigna) from state 0.
        SplitMix64 rng = new SplitMix64(0);
        assertEquals(0xE220A8397B1DCDAFL, rng.nextLong());
        assertEquals(0x6E789E6AA1B965F4L, rng.nextLong());
        assertEquals(0x06C45D188009454FL, rng.nextLong());
    }

    @Test
    void fnv1aMatchesPublishedVectors() {
        assertEquals(0xCBF29CE484222325L, Seeds.fnv1a64(""));
        assertEquals(0xAF63DC4C8601EC8CL, Seeds.fnv1a64("a"));
    }

    @Test
    void streamsAreDeterministicAndDistinct() {
        Set<Long> seeds = new HashSet<>();
        for (String name : new String[] {Seeds.DATA, Seeds.SPLIT, Seeds.INIT, Seeds.BATCHES}) {
            assertEquals(Seeds.derive(42, name), Seeds.derive(42, name));
            assertTrue(seeds.add(Seeds.derive(42, name)), name);
            assertNotEquals(Seeds.derive(42, name), Seeds.derive(43, name));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 10, 1000})
    void boundedIntsAreInRangeAndCoverIt(int bound) {
        RandomGenerator rng = new SplitMix64(bound);
        int[] hits = new int[bound];
        for (int i = 0; i < 20 * bound; i++) {
            int r = rng.nextInt(bound);
            assertTrue(r >= 0 && r < bound);
            hits[r]++;
        }
        if (bound <= 10) {
            for (int h : hits) {
                assertTrue(h > 0);
            }
        }
    }

    @Test
    void gaussiansHaveMeanZeroAndUnitVariance() {
        RandomGenerator rng = new SplitMix64(7);
        int n = 200_000;
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < n; i++) {
            double g = rng.nextGaussian();
            sum += g;
            squares += g * g;
        }
        // Sampling errors: std of the mean 1/sqrt(n) ≈ 0.0022, of the variance sqrt(2/n) ≈ 0.0032; 5 sigma bounds.
        assertEquals(0, sum / n, 0.012);
        assertEquals(1, squares / n - (sum / n) * (sum / n), 0.016);
    }

    @Test
    void doublesAreInTheUnitInterval() {
        RandomGenerator rng = new SplitMix64(3);
        for (int i = 0; i < 10_000; i++) {
            double u = rng.nextDouble();
            assertTrue(u >= 0 && u < 1);
        }
    }
}
