package dev.softmaxlab.experiments.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.io.BoundedInput;
import dev.softmaxlab.experiments.report.AtomicFiles;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.config.ProbeGridConfig;
import dev.softmaxlab.experiments.config.ProbeGridKeys;
import dev.softmaxlab.experiments.config.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The result files of a sweep: {@code DIR/runs/<id>.json}, each a complete train report (or, for a probe spec, a
 * {@code softmaxlab.probeRow/1} document with the same {@code config} and {@code runs} layout) written atomically, so a
 * file that exists was written whole. A file is accepted on resume only if it parses, has the report schema, its
 * config resolves to the planned config, and it holds a summary for every path × precision of that config.
 */
public final class RunStore {

    public static final String REPORT_SCHEMA = "softmaxlab.report/1";
    /** The directory of run files inside a sweep's output directory. */
    public static final String RUNS = "runs";

    // AtomicFiles' temporary files: ".<id>.json.<random>.tmp"; left behind only by a killed process.
    private static final Pattern TEMP = Pattern.compile("\\.[0-9a-f]{" + RunId.LENGTH + "}\\.json\\..*\\.tmp");

    private final Path dir;

    public RunStore(Path outputDir) {
        this.dir = outputDir.resolve(RUNS);
    }

    public Path dir() {
        return dir;
    }

    public Path file(String id) {
        if (!RunId.isValid(id)) {
            throw new IllegalArgumentException("not a run id: " + id);
        }
        return dir.resolve(id + ".json");
    }

    /** Writes a report's JSON text as the result file of run {@code id}, atomically. */
    public void write(String id, byte[] reportJson) throws IOException {
        Path f = file(id);
        SweepOutput.refuseLink(f, "sweep output " + dir.getParent());
        SweepOutput.refuseLink(dir, "sweep output " + dir.getParent());
        AtomicFiles.write(f, out -> out.write(reportJson));
    }

    /**
     * The stored result file of {@code run}, if it is valid for it. A file that is not a report of this run (cut
     * short, edited, of another config) is run again; a symbolic link or a directory in its place is refused.
     */
    Optional<RunFile> readValid(PlannedRun run) {
        Path f = file(run.id());
        SweepOutput.refuseLink(f, "--resume");
        if (Files.exists(f, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidInputException("--resume: " + f + " is not a file (a directory?): a sweep keeps each "
                    + "run's result there; move it away");
        }
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        JsonNode report;
        Optional<RunFile> valid;
        try {
            report = Json.mapper().readTree(BoundedInput.readFile(f, f.toString()));
            valid = RunFile.of(report).filter(r -> isValidFor(r, run));
            if (valid.isEmpty()) {
                return Optional.empty(); // cut short or of another config: run it again
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // corrupt: run it again
        }
        // a report of this very run, to be reused: its numbers must hold together
        String problem = RunFileCheck.problem(report);
        if (problem != null) {
            throw new InvalidInputException("--resume: " + f + " " + problem + ": the file was changed after the "
                    + "sweep wrote it; delete it to run it again");
        }
        return valid;
    }

    /** Whether {@code report} is a complete report of {@code run}. */
    static boolean isValidFor(RunFile report, PlannedRun run) {
        boolean probe = run.config() instanceof ProbeGridConfig;
        if (!report.schema().equals(probe ? ProbeGridRuns.SCHEMA : REPORT_SCHEMA)) {
            return false;
        }
        Object resolved = probe ? ProbeGridKeys.resolve(report.config()) : TrainConfig.resolve(report.config());
        if (!resolved.equals(run.config())) {
            return false;
        }
        Set<String> have = new HashSet<>();
        for (RunFile.Entry r : report.runs()) {
            have.add(r.path() + "\u0000" + r.precision());
        }
        Set<String> want = new HashSet<>();
        for (var p : run.config().paths()) {
            for (var q : run.config().precision()) {
                want.add(p.id() + "\u0000" + q.id());
            }
        }
        return have.equals(want);
    }

    /**
     * Deletes temporary files a killed sweep left behind: those whose writer is gone ({@link AtomicFiles}), and
     * those of the earlier naming, without a pid. Returns how many.
     */
    public int removeStaleTemporaries() throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int n = AtomicFiles.removeStale(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (TEMP.matcher(p.getFileName().toString()).matches() && Files.deleteIfExists(p)) {
                    n++;
                }
            }
        }
        return n;
    }
}
