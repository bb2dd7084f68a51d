package dev.softmaxlab.experiments.sweep;

import dev.softmaxlab.experiments.report.AtomicFiles;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.spec.SpecKind;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The fixed file names of a sweep's output directory, each written atomically. */
public final class SweepOutput {

    public static final String SUMMARY_JSON = "summary.json";
    public static final String SUMMARY_CSV = "summary.csv";

    private SweepOutput() {
    }

    static void write(Path dir, SweepSummary summary, SpecKind kind) throws IOException {
        AtomicFiles.write(dir.resolve(SUMMARY_JSON),
                out -> Json.mapper().writerWithDefaultPrettyPrinter().writeValue(out, summary.document()));
        AtomicFiles.write(dir.resolve(SUMMARY_CSV), out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            SummaryCsv.write(kind, summary.outcomes(), w);
            w.flush();
        });
    }
}
