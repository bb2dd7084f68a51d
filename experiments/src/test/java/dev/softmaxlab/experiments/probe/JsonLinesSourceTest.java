package dev.softmaxlab.experiments.probe;

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
        JsonLinesSource.Line a = s.next();
        assertEquals(new JsonLinesSource.Line("a", 1, 0), a);
        assertEquals(new JsonLinesSource.Line("b", 4, 1), s.next());
        assertEquals(new JsonLinesSource.Line("c", 5, 2), s.next());
        assertNull(s.next());
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
