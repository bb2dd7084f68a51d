package dev.softmaxlab.experiments.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softmaxlab.experiments.spec.Metrics;
import dev.softmaxlab.experiments.spec.SpecKind;
import dev.softmaxlab.experiments.spec.ResultRow;
import dev.softmaxlab.experiments.spec.TrainOptions;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code summary.csv}: the wide form, one row per run × path × precision, for pandas and spreadsheets. Columns:
 * {@code runId, index, runStatus, error, path, precision}, every train option but {@code paths} and {@code precision}
 * (the row's own path and precision stand for them; lists are joined with {@code ;}), then every summary metric
 * with dotted names ({@code events.loss.nan}). Non-finite values are written NaN, Infinity,
 * -Infinity, which pandas reads as floats; a missing value (failed run, null metric) is an empty cell.
 */
public final class SummaryCsv {

    private SummaryCsv() {
    }

    /** Config keys left out: the row's path and precision columns stand for them, and names must be unique. */
    private static final List<String> OMITTED = List.of("paths", "precision");

    /** A training spec's CSV. */
    public static void write(List<RunOutcome> outcomes, Writer out) throws IOException {
        write(SpecKind.TRAIN, outcomes, out);
    }

    /** The CSV of a spec of {@code kind}: its config keys and its metrics. */
    public static void write(SpecKind kind, List<RunOutcome> outcomes, Writer out) throws IOException {
        List<String> options = kind.options().keySet().stream().filter(k -> !OMITTED.contains(k)).toList();
        List<String> header = new ArrayList<>(List.of("runId", "index", "runStatus", "error", "path", "precision"));
        header.addAll(options);
        header.addAll(Metrics.of(kind).keySet());
        line(out, header);
        for (RunOutcome o : outcomes) {
            for (ResultRow row : o.rows()) {
                List<String> cells = new ArrayList<>(header.size());
                cells.add(o.id());
                cells.add(Integer.toString(o.index()));
                cells.add(o.status());
                cells.add(o.error() == null ? "" : o.error());
                cells.add(row.path());
                cells.add(row.precision());
                for (String key : options) {
                    cells.add(cell(o.config().get(key)));
                }
                for (String metric : Metrics.of(kind).keySet()) {
                    cells.add(row.summary() == null ? "" : cell(Metrics.valueIn(row.summary(), metric)));
                }
                line(out, cells);
            }
        }
    }

    private static String cell(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "";
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(e -> parts.add(e.asText()));
            return String.join(";", parts);
        }
        return v.asText();
    }

    private static void line(Writer out, List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(quote(cells.get(i)));
        }
        out.write('\n');
    }

    // RFC 4180: quote a cell holding a comma, a quote or a line break, doubling inner quotes.
    private static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
