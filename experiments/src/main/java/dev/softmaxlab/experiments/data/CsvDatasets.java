package dev.softmaxlab.experiments.data;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.io.BoundedInput;
import dev.softmaxlab.experiments.io.UserText;
import dev.softmaxlab.experiments.names.NearestName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads a classification dataset from CSV text with a header line: one column holds the class label, every other
 * column is a numeric feature.
 *
 * <p>Labels: when every label is an integer, the classes are the distinct integers in ascending order (so labels
 * 0..K-1 keep their values); otherwise each distinct string is a class, numbered in order of first appearance. Class
 * names are the label texts.
 *
 * <p>Every problem is an {@link InvalidInputException} with one line naming the file, the 1-based line number, the
 * column and the value where there is one, and the fix.
 */
public final class CsvDatasets {

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern NON_FINITE = Pattern.compile("[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,18}");

    private CsvDatasets() {
    }

    /**
     * Loads a user CSV file.
     *
     * @param path        the file
     * @param labelColumn a column NAME or 0-based INDEX; null = the last column
     */
    public static Dataset read(Path path, String labelColumn) {
        return read(path, labelColumn, true);
    }

    /**
     * Loads a user CSV file.
     *
     * @param path        the file
     * @param labelColumn a column NAME or 0-based INDEX; null = the last column
     * @param header      whether line 1 names the columns; without a header the columns are named by their 0-based
     *                    index
     */
    public static Dataset read(Path path, String labelColumn, boolean header) {
        String fileName = path.toString();
        if (!Files.exists(path)) {
            throw new InvalidInputException("dataset 'csv:" + fileName + "': file not found (looked at "
                    + path.toAbsolutePath() + "); check the path after 'csv:'");
        }
        if (Files.isDirectory(path)) {
            throw new InvalidInputException("dataset 'csv:" + fileName + "' is a directory; give the path of a CSV"
                    + " file after 'csv:'");
        }
        String text = BoundedInput.readText(path, "dataset " + UserText.quote("csv:" + fileName));
        return parse(text, fileName, "csv:" + fileName, labelColumn, header);
    }

    /**
     * Parses CSV text.
     *
     * @param text        the whole file, header first
     * @param fileName    how messages name the file
     * @param datasetName the {@link Dataset#name()}
     * @param labelColumn a column NAME or 0-based INDEX; null = the last column
     */
    public static Dataset parse(String text, String fileName, String datasetName, String labelColumn) {
        return parse(text, fileName, datasetName, labelColumn, true);
    }

    /** As {@link #parse(String, String, String, String)}; {@code hasHeader} false reads line 1 as data. */
    public static Dataset parse(String text, String fileName, String datasetName, String labelColumn,
                                boolean hasHeader) {
        List<CsvRecords.Row> rows = new ArrayList<>(CsvRecords.parse(text, fileName));
        if (rows.isEmpty()) {
            throw new InvalidInputException(fileName + " is empty; expected " + (hasHeader
                    ? "a header line of column names, then one row per example" : "one row per example"));
        }
        List<String> header;
        if (hasHeader) {
            header = rows.get(0).fields();
            checkHeader(header, labelColumn, fileName);
        } else {
            List<String> names = new ArrayList<>();
            for (int c = 0; c < rows.get(0).fields().size(); c++) {
                names.add(Integer.toString(c));
            }
            header = List.copyOf(names);
            rows.add(0, new CsvRecords.Row(0, header)); // a stand-in header, so that row r + 1 is example r
        }
        int columns = header.size();
        if (rows.size() == 1) {
            throw new InvalidInputException(fileName + " has a header but no data rows; add one row per example"
                    + " below the header");
        }
        int label = labelIndex(header, labelColumn, fileName);
        if (columns < 2) {
            throw new InvalidInputException(fileName + " has only the label column " + UserText.quote(header.get(label))
                    + "; add at least one numeric feature column");
        }
        int n = rows.size() - 1;
        int d = columns - 1;
        DatasetSize.check((long) n * d, n + " rows × " + d + " features of " + fileName, "give a smaller file");
        double[] features = new double[n * d];
        String[] labelTexts = new String[n];
        for (int r = 0; r < n; r++) {
            CsvRecords.Row row = rows.get(r + 1);
            List<String> fields = row.fields();
            if (fields.size() != columns) {
                throw new InvalidInputException(fileName + " line " + row.line() + ": " + fields.size()
                        + (fields.size() == 1 ? " field" : " fields") + " but the " + (hasHeader ? "header has "
                        : "first row has ") + columns
                        + " columns; every row needs one value per column (quote values that contain commas)");
            }
            int f = 0;
            for (int c = 0; c < columns; c++) {
                String value = fields.get(c);
                if (c == label) {
                    if (value.isEmpty()) {
                        throw new InvalidInputException(fileName + " line " + row.line() + ", column "
                                + UserText.quote(header.get(c)) + ": the label is empty; give every row its class");
                    }
                    labelTexts[r] = value;
                } else {
                    features[r * d + f++] = number(value, fileName, row.line(), header.get(c));
                }
            }
        }
        int[] labels = new int[n];
        List<String> classNames = mapLabels(labelTexts, labels);
        if (classNames.size() < 2) {
            throw new InvalidInputException(fileName + ": the label column " + UserText.quote(header.get(label))
                    + " holds a single class " + UserText.quote(classNames.get(0))
                    + "; a classifier needs at least 2 classes (check --label-column)");
        }
        // the logits of an evaluation are rows × classes: a column of distinct values is not a label column
        DatasetSize.check((long) n * classNames.size(), n + " rows × " + classNames.size() + " classes (distinct "
                + "values of the label column " + UserText.quote(header.get(label)) + " of " + fileName + ")",
                "check --label-column: is that the label?");
        return new Dataset(datasetName, features, labels, n, d, classNames);
    }

    /**
     * A header whose feature columns are all numbers is data: the first example would be lost as column names. The
     * label column may hold a name either way, so it is not looked at (unless --label-column names it, which makes
     * line 1 a header).
     */
    private static void checkHeader(List<String> header, String labelColumn, String fileName) {
        if (labelColumn != null && header.contains(labelColumn)) {
            return;
        }
        int label = header.size() - 1;
        if (labelColumn != null && INTEGER.matcher(labelColumn).matches()) {
            long index = Long.parseLong(labelColumn);
            label = index >= 0 && index < header.size() ? (int) index : -1;
        }
        for (int c = 0; c < header.size(); c++) {
            String name = header.get(c);
            if (c != label && !DECIMAL.matcher(name).matches() && !NON_FINITE.matcher(name).matches()) {
                return;
            }
        }
        if (header.size() == 1) {
            return; // a lone column is reported as having no feature column
        }
        throw new InvalidInputException(fileName + " line 1 looks like data, not a header: its feature columns are "
                + "numbers (" + UserText.quote(String.join(",", header)) + "); if the file has no header line, give "
                + "--no-header (\"header\": false in a config or spec), else name the columns in line 1");
    }

    private static int labelIndex(List<String> header, String labelColumn, String fileName) {
        if (labelColumn == null) {
            return header.size() - 1;
        }
        int byName = header.indexOf(labelColumn);
        if (byName >= 0) {
            return byName;
        }
        if (INTEGER.matcher(labelColumn).matches()) {
            long index = Long.parseLong(labelColumn);
            if (index >= 0 && index < header.size()) {
                return (int) index;
            }
            throw new InvalidInputException("labelColumn " + labelColumn + " is out of range for " + fileName
                    + ", which has " + header.size() + " columns; use a 0-based index 0.." + (header.size() - 1)
                    + " or a name: " + columnList(header));
        }
        throw new InvalidInputException("labelColumn " + UserText.quote(labelColumn) + " is not a column of "
                + fileName + hint(labelColumn, header) + "; available columns: "
                + columnList(header) + " (or a 0-based index 0.." + (header.size() - 1) + ")");
    }

    /** "did you mean", among names short enough to compare (the distance table is |a| × |b|). */
    private static String hint(String given, List<String> header) {
        if (given.length() > UserText.MAX_CHARS) {
            return "";
        }
        return NearestName.hint(given, header.stream().filter(h -> h.length() <= UserText.MAX_CHARS).toList());
    }

    /** The column names for a message: each one cut, and at most 20 of them. */
    private static String columnList(List<String> header) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < header.size() && i < 20; i++) {
            String q = UserText.quote(header.get(i));
            b.append(i == 0 ? "" : ", ").append(q, 1, q.length() - 1);
        }
        return header.size() > 20 ? b + ", ... (" + header.size() + " columns)" : b.toString();
    }

    private static double number(String value, String fileName, int line, String column) {
        String where = fileName + " line " + line + ", column " + UserText.quote(column) + ": ";
        if (value.isEmpty()) {
            throw new InvalidInputException(where + "the value is empty; every feature needs a number (fill in or"
                    + " drop the row)");
        }
        if (NON_FINITE.matcher(value).matches()) {
            throw new InvalidInputException(where + UserText.quote(value) + " is not a finite number; features must"
                    + " be finite (impute or drop the row)");
        }
        if (!DECIMAL.matcher(value).matches()) {
            throw new InvalidInputException(where + UserText.quote(value) + " is not a number; features must be"
                    + " numeric (only the label column may hold names)");
        }
        double x = Double.parseDouble(value);
        if (!Double.isFinite(x)) {
            throw new InvalidInputException(where + UserText.quote(value) + " overflows a double; rescale the column");
        }
        return x;
    }

    /** Fills {@code labels} with class indices and returns the class names, index = label. */
    static List<String> mapLabels(String[] texts, int[] labels) {
        boolean allIntegers = true;
        for (String t : texts) {
            if (!INTEGER.matcher(t).matches()) {
                allIntegers = false;
                break;
            }
        }
        Map<String, Integer> index = new LinkedHashMap<>();
        if (allIntegers) {
            TreeMap<Long, String> sorted = new TreeMap<>();
            for (String t : texts) {
                sorted.putIfAbsent(Long.parseLong(t), t);
            }
            Map<Long, Integer> byValue = new LinkedHashMap<>();
            List<String> names = new ArrayList<>();
            for (Map.Entry<Long, String> e : sorted.entrySet()) {
                byValue.put(e.getKey(), names.size());
                names.add(Long.toString(e.getKey()));
            }
            for (int i = 0; i < texts.length; i++) {
                labels[i] = byValue.get(Long.parseLong(texts[i]));
            }
            return List.copyOf(names);
        }
        for (int i = 0; i < texts.length; i++) {
            Integer k = index.get(texts[i]);
            if (k == null) {
                k = index.size();
                index.put(texts[i], k);
            }
            labels[i] = k;
        }
        return List.copyOf(index.keySet());
    }
}
