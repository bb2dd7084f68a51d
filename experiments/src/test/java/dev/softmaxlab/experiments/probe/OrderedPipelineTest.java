package dev.softmaxlab.experiments.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OrderedPipelineTest {

    /** Inputs 0..n-1; a work function whose duration varies, so that later inputs often finish first. */
    private static List<String> run(int n, int threads, Function<Integer, String> work) throws IOException {
        int[] next = {0};
        List<String> out = new ArrayList<>();
        OrderedPipeline.run(() -> next[0] < n ? next[0]++ : null, work, out::add, threads);
        return out;
    }

    private static String slowly(int i) {
        long spin = new Random(i).nextInt(20_000);
        double x = 0;
        for (long k = 0; k < spin; k++) {
            x += Math.sqrt(k + i);
        }
        return i + ":" + (x >= 0 ? "ok" : "?");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 8})
    void outputsComeInInputOrderWhateverTheThreadCount(int threads) throws IOException {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            expected.add(i + ":ok");
        }
        assertEquals(expected, run(500, threads, OrderedPipelineTest::slowly));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aFailureSurfacesAfterEveryEarlierOutput(int threads) {
        List<String> out = new ArrayList<>();
        int[] next = {0};
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> OrderedPipeline.run(
                () -> next[0] < 300 ? next[0]++ : null,
                i -> {
                    if (i == 137 || i == 250) {
                        throw new IllegalStateException("bad " + i);
                    }
                    return slowly(i);
                }, out::add, threads));
        assertEquals("bad 137", e.getMessage());
        assertEquals(137, out.size());
        assertEquals("136:ok", out.get(136));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aSourceFailureAlsoComesAfterEarlierOutputs(int threads) {
        List<String> out = new ArrayList<>();
        int[] next = {0};
        assertThrows(IllegalArgumentException.class, () -> OrderedPipeline.run(() -> {
            if (next[0] == 100) {
                throw new IllegalArgumentException("line 101");
            }
            return next[0]++;
        }, OrderedPipelineTest::slowly, out::add, threads));
        assertEquals(100, out.size());
    }
}
