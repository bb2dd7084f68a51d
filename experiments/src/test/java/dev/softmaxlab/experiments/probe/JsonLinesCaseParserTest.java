package dev.softmaxlab.experiments.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.InvalidInputException;
import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonLinesCaseParserTest {

    private final JsonLinesCaseParser parser = new JsonLinesCaseParser("--input cases.jsonl");

    @Test
    void sparseCase() {
        ProbeCase c = parser.parse("{\"logits\":[1000,0,-1000],\"label\":2}", 1, 0);
        assertArrayEquals(new double[] {1000, 0, -1000}, c.logits());
        assertEquals(2, c.label());
        assertEquals(0, c.index());
    }

    @Test
    void aSparseLabelMayBeTheIgnoreIndex() {
        // the plain reader and Jackson (a line with a space after a colon, or the fields reordered) agree
        JsonLinesCaseParser withIgnore = new JsonLinesCaseParser("--input cases.jsonl", -1);
        for (String line : new String[] {"{\"logits\":[1,2,3],\"label\":-1}", "{\"label\": -1, \"logits\": [1,2,3]}"}) {
            assertEquals(-1, withIgnore.parse(line, 1, 0).label(), line);
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> parser.parse(line, 4, 0));
            assertEquals("--input cases.jsonl line 4: \"label\" -1 is out of range for 3 classes: give a class index"
                    + " in 0..2, or the ignore index -100 to leave the row out", e.getMessage());
        }
        assertEquals(-100, parser.parse("{\"logits\":[1,2,3],\"label\":-100}", 1, 0).label(), "the default");
    }

    @Test
    void denseCaseFieldOrderFree() {
        ProbeCase c = parser.parse(" {\"target\":[0.1,0.9,0], \"logits\":[1.5e0, -2, 3]} ", 4, 3);
        assertArrayEquals(new double[] {1.5, -2, 3}, c.logits());
        assertArrayEquals(new double[] {0.1, 0.9, 0}, c.target());
        assertFalse(c.isSparse());
        assertEquals(3, c.index());
    }

    @Test
    void nonFiniteValuesAsStrings() {
        ProbeCase c = parser.parse("{\"logits\":[\"NaN\",\"Infinity\",\"-Infinity\",0],\"label\":3}", 1, 0);
        assertTrue(Double.isNaN(c.logits()[0]));
        assertEquals(Double.POSITIVE_INFINITY, c.logits()[1]);
        assertEquals(Double.NEGATIVE_INFINITY, c.logits()[2]);
    }

    @Test
    void longRowsGrowTheBuffer() {
        StringBuilder sb = new StringBuilder("{\"label\":99,\"logits\":[");
        for (int j = 0; j < 100; j++) {
            sb.append(j == 0 ? "" : ",").append(j);
        }
        ProbeCase c = parser.parse(sb.append("]}").toString(), 1, 0);
        assertEquals(100, c.classes());
        assertEquals(99.0, c.logits()[99]);
    }

    @RepeatedTest(10)
    void numbersAreReadCorrectlyRoundedBitForBit(RepetitionInfo info) {
        SplittableRandom r = new SplittableRandom(31 + info.getCurrentRepetition());
        double[] v = new double[2_000];
        StringBuilder sb = new StringBuilder("{\"label\":0,\"logits\":[");
        for (int i = 0; i < v.length; i++) {
            v[i] = switch (i % 4) {
                case 0 -> Double.longBitsToDouble(r.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL);
                case 1 -> Double.longBitsToDouble(r.nextLong() & 0x000F_FFFF_FFFF_FFFFL);
                case 2 -> -r.nextDouble() * 1e3;
                default -> (float) r.nextDouble();
            };
            // BigDecimal's plain text is the exact binary value, with up to hundreds of digits
            String text = i % 8 == 2 ? new BigDecimal(v[i]).toString() : Double.toString(v[i]);
            sb.append(i == 0 ? "" : ",").append(text);
        }
        ProbeCase c = parser.parse(sb.append("]}").toString(), 1, 0);
        for (int i = 0; i < v.length; i++) {
            assertEquals(Double.doubleToRawLongBits(v[i]), Double.doubleToRawLongBits(c.logits()[i]), "value " + i);
        }
    }

    @Test
    void halfwayDecimalRoundsToEven() {
        // 1 + 2^-53 lies exactly halfway between 1 and the next double; ties go to the even one, 1.0
        ProbeCase c = parser.parse("{\"logits\":[1.00000000000000011102230246251565404236316680908203125],"
                + "\"label\":0}", 1, 0);
        assertEquals(1.0, c.logits()[0]);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"logits\":[1,2],\"label\":0                    | malformed JSON at column",
        "not json                                        | malformed JSON at column 1",
        "{\"logits\":[NaN,1],\"label\":0}                | malformed JSON at column",
        "[1,2,3]                                         | expected a JSON object",
        "{\"logits\":[1,2],\"lable\":0}                  | unknown field 'lable'",
        "{\"label\":0}                                   | \"logits\" is missing",
        "{\"logits\":[1,2]}                              | no target: add \"label\"",
        "{\"logits\":[1,2],\"label\":0,\"target\":[1,0]} | both \"label\" and \"target\" given",
        "{\"logits\":[],\"label\":0}                     | \"logits\" is empty",
        "{\"logits\":[1,2],\"label\":2}                  | \"label\" 2 is out of range for 2 classes: give a class index in 0..1",
        "{\"logits\":[1,2],\"label\":1.5}                | \"label\" '1.5' is not a whole number: give a class index such as 2",
        "{\"logits\":[1,2],\"label\":1e10}               | \"label\" '1e10' is out of range",
        "{\"logits\":[1,2],\"label\":1e999999999}        | \"label\" '1e999999999' is out of range",
        "{\"logits\":[1,2],\"label\":\"1\"}              | \"label\" must be an integer class index, got a string '1'",
        "{\"logits\":[1,2],\"label\":0,\"id\":[1]}        | \"id\" must be a string, a number, true, false or null, got an array",
        "{\"logits\":[1,2],\"label\":0,\"id\":1,\"id\":2} | \"id\" given twice: keep one",
        "{\"logits\":[1,2],\"label\":0,\"x\":\"\u001b[2J\"} | unknown field 'x'",
        "{\"logits\":[1,2],\"label\":NaN}                | bare NaN is not JSON: write it as the string \"NaN\"",
        "{\"logits\":[1,\"x\"],\"label\":0}              | \"logits\" value 2: 'x' is not a number",
        "{\"logits\":[1,true],\"label\":0}               | \"logits\" value 2 is a boolean, not a number",
        "{\"logits\":5,\"label\":0}                      | \"logits\" must be an array of numbers",
        "{\"logits\":[1e400,0],\"label\":0}              | \"logits\" value 1 '1e400' is beyond the double range",
        "{\"logits\":[1,2],\"target\":[1]}               | \"target\" has 1 values but \"logits\" has 2",
        "{\"logits\":[1,2],\"target\":[1.5,-0.5]}        | \"target\" value -0.5 at class 1 is not a probability",
        "{\"logits\":[1,2],\"target\":[0.3,0.3]}         | \"target\" sums to 0.6, not 1",
        "{\"logits\":[1,2],\"label\":0} {}               | more than one JSON value on the line",
        "{\"logits\":[1,2],\"label\":0,\"label\":1}    | \"label\" given twice: keep one",
        "{\"logits\":[1,2],\"logits\":[3,4],\"label\":0} | \"logits\" given twice: keep one",
        "{\"logits\":[1,2],\"target\":[1,0],\"target\":[0,1]} | \"target\" given twice: keep one",
    })
    void errorsNameTheInputTheLineAndTheProblem(String line, String expected) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> parser.parse(line, 7, 6));
        String m = e.getMessage();
        assertTrue(m.startsWith("--input cases.jsonl line 7: "), m);
        assertTrue(m.contains(expected), m);
        assertFalse(m.contains("\n"), "one line: " + m);
    }
}
