package dev.softmaxlab.experiments.probe;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.InvalidInputException;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonLinesSourceTest {

    @Test
    void skipsBlankLinesNumbersLinesFromOneAndCasesFromZero() throws IOException {
        JsonLinesSource s = new JsonLinesSource(new BufferedReader(new StringReader("\uFEFFa\r\n\n  \nb\nc")), "x");
        assertLine("a", 1, 0, s.next());
        assertLine("b", 4, 1, s.next());
        assertLine("c", 5, 2, s.next());
        assertNull(s.next());
    }

    private static void assertLine(String text, long number, int index, JsonLinesSource.Line line) {
        assertEquals(text, line.text());
        assertEquals(number, line.number());
        assertEquals(index, line.index());
    }

    @Test
    void aLineOfControlCharactersIsBinaryAndAReplacedByteIsNotUtf8() {
        JsonLinesSource controls = new JsonLinesSource(new StringReader("{}\n\u0001\u0002\u0003\u0004x\n"), "x");
        assertLine("{}", 1, 0, assertDoesNotThrow(controls::next));
        String binary = assertThrows(InvalidInputException.class, controls::next).getMessage();
        assertTrue(binary.startsWith("x (line 2) looks binary"), binary);
        JsonLinesSource nul = new JsonLinesSource(new StringReader("{\u0000}"), "x");
        assertTrue(assertThrows(InvalidInputException.class, nul::next).getMessage().startsWith("x (line 1)"));
        JsonLinesSource tabs = new JsonLinesSource(new StringReader("\t\t\t\t{}\n \t \n{}"), "x");
        assertLine("\t\t\t\t{}", 1, 0, assertDoesNotThrow(tabs::next));
        assertLine("{}", 3, 1, assertDoesNotThrow(tabs::next));
    }

    @Test
    void invalidUtf8IsNamedByItsOwnLine() throws IOException {
        byte[] bytes = {'a', '\n', 'b', '\n', (byte) 0xFF, '\n'};
        JsonLinesSource s = new JsonLinesSource(new BufferedReader(new InputStreamReader(
                new ByteArrayInputStream(bytes), StandardCharsets.UTF_8)), "--input f.jsonl");
        s.next();
        s.next();
        InvalidInputException e = assertThrows(InvalidInputException.class, s::next);
        assertTrue(e.getMessage().startsWith("--input f.jsonl line 3: not valid UTF-8"), e.getMessage());
    }
}
