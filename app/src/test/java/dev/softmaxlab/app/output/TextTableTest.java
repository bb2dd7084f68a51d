package dev.softmaxlab.app.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TextTableTest {

    @Test
    void padsColumnsRightAlignsNumbersAndTrimsTrailingSpaces() {
        TextTable t = new TextTable(TextTable.left("path"), TextTable.right("loss"), TextTable.left("events"));
        t.row("fused", "2000.0", "");
        t.row("separate-naive", "NaN", "expOverflow:1");
        String expected = ""
                + "path              loss  events\n"
                + "--------------  ------  -------------\n"
                + "fused           2000.0\n"
                + "separate-naive     NaN  expOverflow:1\n";
        assertEquals(expected, t.render());
    }

    @Test
    void headerWiderThanCells() {
        TextTable t = new TextTable(TextTable.right("max |gradient|"));
        t.row("1.0");
        assertEquals("max |gradient|\n--------------\n           1.0\n", t.render());
    }

    @Test
    void nullCellPrintsEmpty() {
        TextTable t = new TextTable(TextTable.left("a"), TextTable.left("b"));
        t.row(null, "x");
        assertEquals("a  b\n-  -\n   x\n", t.render());
    }

    @Test
    void rejectsRowOfWrongWidth() {
        TextTable t = new TextTable(TextTable.left("a"), TextTable.left("b"));
        assertThrows(IllegalArgumentException.class, () -> t.row("only one"));
    }
}
