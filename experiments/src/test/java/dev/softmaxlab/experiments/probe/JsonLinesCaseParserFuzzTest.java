package dev.softmaxlab.experiments.probe;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.io.InputLimits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the JSON Lines input of {@code probe --input}: any bytes are read line by line ({@link JsonLinesSource},
 * with a small line limit) and parsed by both readers (the fast plain-line reader first, and Jackson alone); each
 * line parses or is refused with {@link InvalidInputException}, and nothing else escapes. In {@code mvn verify} this
 * replays the seed corpus in {@code src/test/resources/.../JsonLinesCaseParserFuzzTestInputs}; {@code JAZZER_FUZZ=1}
 * fuzzes (README: "Fuzzing").
 */
class JsonLinesCaseParserFuzzTest {

    private static final InputLimits LIMITS = new InputLimits(1 << 20, 1 << 16);
    private static final JsonLinesCaseParser FAST = new JsonLinesCaseParser("--input fuzz");
    private static final JsonLinesCaseParser JACKSON = new JsonLinesCaseParser("--input fuzz", false);

    @FuzzTest(maxDuration = "10m")
    void everyLineParsesOrIsAUserError(byte[] input) throws IOException {
        JsonLinesSource lines = new JsonLinesSource(new InputStreamReader(new ByteArrayInputStream(input),
                StandardCharsets.UTF_8), LIMITS, "--input fuzz");
        try {
            for (JsonLinesSource.Line l; (l = lines.next()) != null; ) {
                ProbeCase fast = parseOrNull(FAST, l);
                ProbeCase jackson = parseOrNull(JACKSON, l);
                if ((fast == null) != (jackson == null)) {
                    throw new AssertionError("the two readers disagree on whether line " + l.number() + " is valid");
                }
            }
        } catch (InvalidInputException e) {
            // a refused line (too long, binary, not UTF-8): the tool's own error
        }
    }

    private static ProbeCase parseOrNull(JsonLinesCaseParser parser, JsonLinesSource.Line l) {
        try {
            return parser.parse(l.text(), l.number(), l.index());
        } catch (InvalidInputException e) {
            return null;
        }
    }
}
