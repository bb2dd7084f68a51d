package dev.softmaxlab.experiments.data;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.io.InputLimits;
import dev.softmaxlab.experiments.io.UserText;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits CSV text into records, RFC 4180 style: fields separated by commas, records by LF, CRLF or CR; a field that
 * starts with a double quote runs to the matching closing quote and may hold commas, line breaks and doubled quotes
 * ({@code ""} for one {@code "}). Unquoted fields are trimmed of surrounding spaces and tabs. Blank lines are skipped.
 * A leading UTF-8 byte order mark is ignored. Each record keeps the 1-based line number it starts on, for messages.
 */
final class CsvRecords {

    /** One record: its fields and the 1-based line it starts on. */
    record Row(int line, List<String> fields) {
    }

    private CsvRecords() {
    }

    /**
     * @param text     the whole file
     * @param fileName how messages name the file
     */
    static List<Row> parse(String text, String fileName) {
        return parse(text, fileName, InputLimits.current());
    }

    /**
     * @param limits a field longer than {@link InputLimits#maxLineChars()} is refused as soon as it passes the limit
     */
    static List<Row> parse(String text, String fileName, InputLimits limits) {
        int maxField = limits.maxLineChars();
        List<Row> rows = new ArrayList<>();
        int n = text.length();
        int i = text.startsWith("\uFEFF") ? 1 : 0;
        int line = 1;
        List<String> fields = new ArrayList<>();
        int rowLine = 1;
        StringBuilder field = new StringBuilder();
        boolean rowHasContent = false;
        while (true) {
            // at the start of a field
            field.setLength(0);
            int j = i;
            while (j < n && (text.charAt(j) == ' ' || text.charAt(j) == '\t')) {
                j++;
            }
            if (j < n && text.charAt(j) == '"') {
                int quoteLine = line;
                i = j + 1;
                while (true) {
                    if (i >= n) {
                        throw new InvalidInputException(fileName + " line " + quoteLine
                                + ": a quoted field is never closed; add the closing '\"' (write a quote inside a"
                                + " quoted field as '\"\"')");
                    }
                    char c = text.charAt(i);
                    if (c == '"') {
                        if (i + 1 < n && text.charAt(i + 1) == '"') {
                            field.append('"');
                            i += 2;
                        } else {
                            i++;
                            break;
                        }
                    } else {
                        if (c == '\n' || (c == '\r' && (i + 1 >= n || text.charAt(i + 1) != '\n'))) {
                            line++;
                        }
                        field.append(c);
                        i++;
                    }
                    if (field.length() > maxField) {
                        throw limits.lineTooLong(fileName + " line " + quoteLine + ": a field");
                    }
                }
                while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
                    i++;
                }
                if (i < n && text.charAt(i) != ',' && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
                    throw new InvalidInputException(fileName + " line " + line + ": unexpected "
                            + UserText.quote(String.valueOf(text.charAt(i)))
                            + " after a closing quote; quote the whole field and double any quote inside it");
                }
                rowHasContent = true;
                fields.add(field.toString());
            } else {
                i = j;
                int start = i;
                while (i < n && text.charAt(i) != ',' && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
                    i++;
                    if (i - start > maxField) {
                        throw limits.lineTooLong(fileName + " line " + line + ": a field");
                    }
                }
                field.append(text, start, i);
                String value = field.toString().strip();
                rowHasContent |= !value.isEmpty();
                fields.add(value);
            }
            // after a field: a comma, a line break or the end
            if (i < n && text.charAt(i) == ',') {
                rowHasContent = true;
                i++;
                continue;
            }
            if (rowHasContent) {
                rows.add(new Row(rowLine, List.copyOf(fields)));
            }
            fields.clear();
            rowHasContent = false;
            if (i >= n) {
                return rows;
            }
            i += text.charAt(i) == '\r' && i + 1 < n && text.charAt(i + 1) == '\n' ? 2 : 1;
            line++;
            rowLine = line;
        }
    }
}
