package dev.softmaxlab.app.output;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table for a terminal: a header, a rule of dashes, then rows; columns padded to their widest cell and
 * separated by two spaces; numbers right-aligned so their digits line up. No trailing spaces. A cell may hold several
 * lines (separated by '\n'); its row then takes that many lines, the other cells on the first.
 *
 * <pre>{@code
 * TextTable t = new TextTable(TextTable.left("path"), TextTable.right("loss"));
 * t.row("fused", "2000.0");
 * String s = t.render();
 * }</pre>
 */
public final class TextTable {

    /** How a column's cells are aligned. */
    public enum Align { LEFT, RIGHT }

    /** A column: its header and alignment. */
    public record Column(String header, Align align) {
    }

    private final List<Column> columns;
    private final List<String[]> rows = new ArrayList<>();

    public TextTable(Column... columns) {
        if (columns.length == 0) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        this.columns = List.of(columns);
    }

    /** A left-aligned (text) column. */
    public static Column left(String header) {
        return new Column(header, Align.LEFT);
    }

    /** A right-aligned (number) column. */
    public static Column right(String header) {
        return new Column(header, Align.RIGHT);
    }

    /** Adds a row; it must have one cell per column (null prints as empty). */
    public TextTable row(String... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException(
                    "row has " + cells.length + " cells, table has " + columns.size() + " columns");
        }
        String[] copy = Arrays.copyOf(cells, cells.length);
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] == null) {
                copy[i] = "";
            }
        }
        rows.add(copy);
        return this;
    }

    /** Adds an empty line between groups of rows. */
    public TextTable gap() {
        rows.add(null);
        return this;
    }

    public int rowCount() {
        return (int) rows.stream().filter(r -> r != null).count();
    }

    /** The table, each line ending in '\n'. */
    public String render() {
        int n = columns.size();
        int[] width = new int[n];
        for (int c = 0; c < n; c++) {
            width[c] = columns.get(c).header().length();
            for (String[] r : rows) {
                if (r == null) {
                    continue;
                }
                for (String part : r[c].split("\n", -1)) {
                    width[c] = Math.max(width[c], part.length());
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        String[] header = new String[n];
        String[] rule = new String[n];
        for (int c = 0; c < n; c++) {
            header[c] = columns.get(c).header();
            rule[c] = "-".repeat(width[c]);
        }
        line(sb, header, width);
        line(sb, rule, width);
        for (String[] r : rows) {
            if (r == null) {
                sb.append('\n');
                continue;
            }
            String[][] parts = new String[n][];
            int height = 1;
            for (int c = 0; c < n; c++) {
                parts[c] = r[c].split("\n", -1);
                height = Math.max(height, parts[c].length);
            }
            for (int k = 0; k < height; k++) {
                String[] cells = new String[n];
                for (int c = 0; c < n; c++) {
                    cells[c] = k < parts[c].length ? parts[c][k] : "";
                }
                line(sb, cells, width);
            }
        }
        return sb.toString();
    }

    private void line(StringBuilder sb, String[] cells, int[] width) {
        int start = sb.length();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                sb.append("  ");
            }
            int pad = width[c] - cells[c].length();
            if (columns.get(c).align() == Align.RIGHT) {
                sb.append(" ".repeat(pad)).append(cells[c]);
            } else {
                sb.append(cells[c]).append(" ".repeat(pad));
            }
        }
        int end = sb.length();
        while (end > start && sb.charAt(end - 1) == ' ') {
            end--;
        }
        sb.setLength(end);
        sb.append('\n');
    }
}
