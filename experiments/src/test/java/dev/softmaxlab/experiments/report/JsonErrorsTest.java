package dev.softmaxlab.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.InvalidInputException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Jackson's errors in the tool's words, with no internals (feature names, "Source: REDACTED", class names). */
class JsonErrorsTest {

    static Stream<Arguments> documents() {
        return Stream.of(
                Arguments.of("{\"lr\": NaN}", "line 1, column 11: bare NaN is not JSON: write it as the string \"NaN\""),
                Arguments.of("{\"lr\": -Infinity}", "bare -Infinity is not JSON: write it as the string \"-Infinity\""),
                Arguments.of("{\"lr\": Infinity}", "write it as the string \"Infinity\""),
                Arguments.of("{\"lr\": [0.1,", "the text ends in the middle of the JSON (truncated?)"),
                Arguments.of("{\"lr\": 0.1", "the text ends in the middle of the JSON (truncated?)"),
                Arguments.of("{\"a\":1,\"a\":2}", "key 'a' appears twice in one object: keep one"),
                Arguments.of("{\"a\": tru}", "unexpected word 'tru'"),
                Arguments.of("{\"a\": 1} {}", "more text after the JSON value"),
                Arguments.of("{\"a\": 07}", "leading zero"),
                Arguments.of("{'a': 1}", "unexpected character"),
                Arguments.of("[" .repeat(1001) + "]".repeat(1001), "nested more than 1000 levels deep"),
                Arguments.of("{\"s\":\"" + "x".repeat(20_000_001) + "\"}", "holds a string longer than 20000000"));
    }

    @ParameterizedTest
    @MethodSource("documents")
    void everyProblemIsOneLineInTheToolsWords(String text, String expected) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> JsonDocuments.parse(text, "--config c.json"));
        String m = e.getMessage();
        assertTrue(m.startsWith("--config c.json: not valid JSON"), m);
        assertTrue(m.contains(expected), m);
        for (String internal : new String[] {"Source", "REDACTED", "Feature", "StreamRead", "JsonRead", "`",
            "com.fasterxml", "\n"}) {
            assertFalse(m.contains(internal), "'" + internal + "' in: " + m);
        }
        assertTrue(m.length() < 400, m);
    }

    @ParameterizedTest
    @MethodSource("documents")
    void theSpecLoaderSaysTheSame(String text, String expected) {
        var r = dev.softmaxlab.experiments.spec.SpecLoader.check(text);
        assertFalse(r.ok());
        String m = r.problems().get(0).toString();
        assertTrue(m.contains(expected.replaceFirst("^line 1, column 11: ", "")), m);
        assertFalse(m.contains("REDACTED") || m.contains("Feature"), m);
    }

    @org.junit.jupiter.api.Test
    void anEmptyDocumentIsNamedEmpty() {
        assertEquals("x.json is empty: expected a JSON object",
                assertThrows(InvalidInputException.class, () -> JsonDocuments.parse("  ", "x.json")).getMessage());
    }
}
