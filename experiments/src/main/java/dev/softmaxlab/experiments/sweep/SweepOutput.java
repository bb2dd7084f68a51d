package dev.softmaxlab.experiments.sweep;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.report.AtomicFiles;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.spec.SpecKind;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The fixed file names of a sweep's output directory, each written atomically, and the rule that nothing inside
 * it is a symbolic link.
 */
public final class SweepOutput {

    public static final String SUMMARY_JSON = "summary.json";
    public static final String SUMMARY_CSV = "summary.csv";

    private SweepOutput() {
    }

    /**
     * Refuses a sweep output directory with a symbolic link inside it (a planted {@code runs} link would send run
     * files outside {@code -o}; a link at a run file would be read as a result, or replaced through) or a file where
     * {@code runs} must be a directory. Links at the top ({@code -o DIR} itself) are the user's choice.
     *
     * @param what how the directory is named in messages, e.g. "-o out"
     */
    public static void checkTree(Path dir, String what) {
        Path runs = dir.resolve(RunStore.RUNS);
        for (Path p : new Path[] {runs, dir.resolve(SUMMARY_JSON), dir.resolve(SUMMARY_CSV)}) {
            refuseLink(p, what);
        }
        if (Files.exists(runs) && !Files.isDirectory(runs)) {
            throw new InvalidInputException(what + ": " + runs + " is a file, not a directory of run files: move it "
                    + "away, or give another directory");
        }
        if (Files.isDirectory(runs)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(runs)) {
                for (Path p : files) {
                    refuseLink(p, what);
                }
            } catch (IOException e) {
                throw new InvalidInputException(what + ": cannot list " + runs + " (" + e.getMessage() + ")");
            }
        }
    }

    /** Refuses a symbolic link at {@code p}. */
    static void refuseLink(Path p, String what) {
        if (Files.isSymbolicLink(p)) {
            throw new InvalidInputException(what + ": " + p + " is a symbolic link; a sweep directory holds only "
                    + "its own files (nothing is read or written through a link): remove the link");
        }
    }

    static void write(Path dir, SweepSummary summary, SpecKind kind) throws IOException {
        refuseLink(dir.resolve(SUMMARY_JSON), "sweep output " + dir);
        refuseLink(dir.resolve(SUMMARY_CSV), "sweep output " + dir);
        AtomicFiles.write(dir.resolve(SUMMARY_JSON),
                out -> Json.mapper().writerWithDefaultPrettyPrinter().writeValue(out, summary.document()));
        AtomicFiles.write(dir.resolve(SUMMARY_CSV), out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            SummaryCsv.write(kind, summary.outcomes(), w);
            w.flush();
        });
    }
}
