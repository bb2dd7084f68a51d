package dev.softmaxlab.experiments.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.sweep.SweepPlan;
import java.util.List;
import org.junit.jupiter.api.Test;

class BundledSpecsTest {

    @Test
    void atLeastSixSpecsEachNamedAfterItsFileWithAQuestionAndExpectations() {
        List<String> names = BundledSpecs.names();
        assertTrue(names.size() >= 6, names.toString());
        for (String name : names) {
            ExperimentSpec s = BundledSpecs.load(name);
            assertEquals(name, s.name(), "a bundled spec's name is its file name");
            assertTrue(s.description().contains("?"), name + " states its question");
            assertTrue(s.expect().size() >= 2, name + " checks what it shows");
            assertFalse(SweepPlan.of(s, true).isEmpty());
            assertEquals(s.grid().size(), SweepPlan.of(s, false).size());
        }
    }

    @Test
    void anUnknownBuiltinSuggestsTheNearest() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> BundledSpecs.text("keras-clp"));
        assertTrue(e.getMessage().contains("did you mean 'keras-clip'"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> BundledSpecs.text("../../pom"));
    }
}
