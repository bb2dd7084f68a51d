package dev.softmaxlab.experiments.names;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NearestNameTest {

    @ParameterizedTest
    @CsvSource({"kitten,sitting,3", "'',abc,3", "abc,'',3", "flaw,lawn,2", "same,same,0", "ab,ba,1", "ca,abc,3", "adma,adam,1"})
    void levenshteinMatchesHandComputedDistances(String a, String b, int expected) {
        assertEquals(expected, NearestName.distance(a, b));
        assertEquals(expected, NearestName.distance(b, a), "symmetric");
    }

    @Test
    void suggestsIgnoringCaseAndSeparators() {
        List<String> keys = List.of("logitScale", "labelSmoothing", "lr", "batchSize");
        assertEquals(Optional.of("logitScale"), NearestName.suggest("logit-scale", keys));
        assertEquals(Optional.of("logitScale"), NearestName.suggest("LOGIT_SCALE", keys));
        assertEquals(Optional.of("batchSize"), NearestName.suggest("batchsise", keys));
        assertEquals(Optional.of("labelSmoothing"), NearestName.suggest("labelSmooth", keys));
    }

    @Test
    void suggestsNothingForAFarName() {
        assertEquals(Optional.empty(), NearestName.suggest("temperature", List.of("lr", "seed", "model")));
        assertEquals("", NearestName.hint("temperature", List.of("lr", "seed")));
    }
}
