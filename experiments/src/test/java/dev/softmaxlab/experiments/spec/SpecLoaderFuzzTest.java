package dev.softmaxlab.experiments.spec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.io.BoundedInput;

/**
 * Fuzzes the spec loader: any bytes, decoded as a spec file is, either load as a spec or give problems (each with a
 * location and a message) or are refused with {@link InvalidInputException}; nothing else escapes. Seed corpus: the
 * bundled specs' shapes in {@code src/test/resources/.../SpecLoaderFuzzTestInputs}.
 */
class SpecLoaderFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void everySpecLoadsOrListsItsProblems(byte[] input) {
        String text;
        try {
            text = BoundedInput.text(input, "fuzz.json");
        } catch (InvalidInputException e) {
            return;
        }
        SpecLoader.Result r;
        try {
            r = SpecLoader.check(text);
        } catch (InvalidInputException e) {
            return;
        }
        if (r.ok() == (r.spec() == null)) {
            throw new AssertionError("a result is either a spec or problems");
        }
        for (SpecProblem p : r.problems()) {
            if (p.where() == null || p.where().isEmpty() || p.toString().contains("REDACTED")) {
                throw new AssertionError("a problem without a location, or with Jackson's internals: " + p);
            }
        }
    }
}
