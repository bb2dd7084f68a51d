package dev.softmaxlab.experiments.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CsvDatasetsTest {

    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path file = dir.resolve("data.csv");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private String failure(String text, String labelColumn) throws IOException {
        Path file = write(text);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> CsvDatasets.read(file, labelColumn));
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                // text, labelColumn, fragments the message must contain
                Arguments.of("", null, List.of("is empty", "header")),
                Arguments.of("\n\n", null, List.of("is empty")),
                Arguments.of("a,b,label\n", null, List.of("header but no data rows")),
                Arguments.of("a,b,label\n1,2,x\n3,4,y\n", "species",
                        List.of("labelColumn 'species'", "available columns: a, b, label", "0..2")),
                Arguments.of("a,b,label\n1,2,x\n3,4,y\n", "Labels",
                        List.of("labelColumn 'Labels' is not a column of", "(did you mean 'label'?)")),
                Arguments.of("a,b,label\n1,2,x\n3,4,y\n", "3", List.of("labelColumn 3", "out of range", "0..2")),
                Arguments.of("a,pixel_3,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n9,10,x\n11,12,y\n13,14,x\n15,16,y\n"
                        + "17,18,x\n19,20,y\n21,abc,x\n", null,
                        List.of("line 12, column 'pixel_3': 'abc' is not a number")),
                Arguments.of("a,b,label\n1,2,x\n3,4\n", null, List.of("line 3", "2 fields", "header has 3 columns")),
                Arguments.of("a,b,label\n1,2,x\n3,4,x,5\n", null, List.of("line 3", "4 fields")),
                Arguments.of("a,b,label\n1,2,x\n3,4,x\n", null, List.of("single class 'x'", "column 'label'")),
                Arguments.of("a,b,label\n1,NaN,x\n3,4,y\n", null,
                        List.of("line 2, column 'b': 'NaN' is not a finite number")),
                Arguments.of("a,b,label\n1,2,x\n-Infinity,4,y\n", null,
                        List.of("line 3, column 'a': '-Infinity' is not a finite number")),
                Arguments.of("a,b,label\n1,2,x\n1e999,4,y\n", null, List.of("line 3, column 'a': '1e999'",
                        "overflows")),
                Arguments.of("a,b,label\n1,,x\n3,4,y\n", null, List.of("line 2, column 'b'", "empty")),
                Arguments.of("a,b,label\n1,2,\n3,4,y\n", null, List.of("line 2, column 'label'", "label is empty")),
                Arguments.of("a,b,label\n1,0x10,x\n3,4,y\n", null, List.of("'0x10' is not a number")),
                Arguments.of("a,b,label\n1,2d,x\n3,4,y\n", null, List.of("'2d' is not a number")),
                Arguments.of("a,b,label\n1,\"2,x\n3,4,y\n", null, List.of("line 2", "never closed")),
                Arguments.of("label\nx\ny\n", null, List.of("only the label column")));
    }

    @ParameterizedTest
    @MethodSource("badInputs")
    void badInputNamesFileLineColumnAndValue(String text, String labelColumn, List<String> fragments)
            throws IOException {
        String message = failure(text, labelColumn);
        assertTrue(message.contains("data.csv"), message);
        for (String f : fragments) {
            assertTrue(message.contains(f), "'" + f + "' missing from: " + message);
        }
    }

    @Test
    void missingFileNamesThePath() {
        Path file = dir.resolve("nowhere.csv");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> CsvDatasets.read(file, null));
        assertTrue(e.getMessage().contains("nowhere.csv") && e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void stringLabelsAreNumberedInOrderOfFirstAppearance() throws IOException {
        Dataset d = CsvDatasets.read(write("x,kind\n1,zebra\n2,ant\n3,zebra\n4,moth\n5,ant\n"), null);
        assertEquals(List.of("zebra", "ant", "moth"), d.classNames());
        assertArrayEquals(new int[] {0, 1, 0, 2, 1}, d.labels());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5}, d.features());
        assertEquals("csv:" + dir.resolve("data.csv"), d.name());
    }

    @Test
    void integerLabelsKeepTheirNumericOrder() throws IOException {
        Dataset d = CsvDatasets.read(write("x,y\n1,2\n2,0\n3,10\n4,2\n"), null);
        assertEquals(List.of("0", "2", "10"), d.classNames());
        assertArrayEquals(new int[] {1, 0, 2, 1}, d.labels());
    }

    @Test
    void labelColumnByNameAndByIndexGiveTheSameData() throws IOException {
        Path file = write("f1,species,f2\n1.5,a,-2\n2.5,b,3e1\n");
        Dataset byName = CsvDatasets.read(file, "species");
        Dataset byIndex = CsvDatasets.read(file, "1");
        for (Dataset d : List.of(byName, byIndex)) {
            assertEquals(2, d.rows());
            assertEquals(2, d.featureCount());
            assertArrayEquals(new double[] {1.5, -2, 2.5, 30}, d.features());
            assertArrayEquals(new int[] {0, 1}, d.labels());
            assertEquals(List.of("a", "b"), d.classNames());
        }
        // Default: the last column, here integer labels.
        Dataset last = CsvDatasets.read(write("f1,f2,f3\n1.5,7,-2\n2.5,8,30\n"), null);
        assertArrayEquals(new double[] {1.5, 7, 2.5, 8}, last.features(), 0.0);
        assertEquals(List.of("-2", "30"), last.classNames());
    }

    @Test
    void quotedFieldsMayHoldCommasQuotesAndLineBreaks() throws IOException {
        String text = "\uFEFF\"x\",\"the, label\"\r\n"
                + "1,\"big, \"\"red\"\"\"\r\n"
                + " 2 ,\"two\r\nlines\"\r\n"
                + "\r\n"
                + "3,plain\r\n"
                + "4,bad\r\n";
        Dataset d = CsvDatasets.read(write(text), "the, label");
        assertEquals(List.of("big, \"red\"", "two\r\nlines", "plain", "bad"), d.classNames());
        assertArrayEquals(new double[] {1, 2, 3, 4}, d.features());
        // A record spanning two lines: the next record's line number counts both.
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> CsvDatasets.read(write(text.replace("4,bad", "oops,bad")), "the, label"));
        assertTrue(e.getMessage().contains("line 7, column 'x': 'oops'"), e.getMessage());
    }

    @Test
    void textAfterAClosingQuoteIsAnError() throws IOException {
        String message = failure("a,label\n\"1\"2,x\n3,y\n", null);
        assertTrue(message.contains("line 2") && message.contains("after a closing quote"), message);
    }
}
