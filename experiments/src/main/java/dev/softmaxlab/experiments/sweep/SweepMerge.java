package dev.softmaxlab.experiments.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.io.BoundedInput;
import dev.softmaxlab.experiments.io.UserText;
import dev.softmaxlab.experiments.report.AtomicFiles;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.report.JsonDocuments;
import dev.softmaxlab.experiments.report.Provenance;
import dev.softmaxlab.experiments.report.ToolVersion;
import dev.softmaxlab.experiments.spec.CanonicalJson;
import dev.softmaxlab.experiments.spec.ExperimentSpec;
import dev.softmaxlab.experiments.spec.SpecLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * {@code softmaxlab merge}: combines the output directories of a sharded sweep into the summary the unsharded
 * sweep writes (timings aside), and copies their result files. The expectations are evaluated again over all runs,
 * since a shard sees only part of the grid.
 *
 * <p>It trusts nothing it reads, and checks everything before it writes anything: the shape of each summary (the
 * fields merge reads, with their types), its spec against its hash, its grid size against its spec's grid; each run against the grid point its
 * index names (same id, same config, and so a config that hashes to the id); each successful run's file (never a
 * symbolic link, never missing) against the report schema, against its run, against its own steps
 * ({@link RunFileCheck}) and against the summary's copy of its results. Any mismatch is exit 2, naming the file.
 * Directories of different specs, a mix of smoke and full runs, and a set of shards that leaves grid points out
 * are refused too.
 */
public final class SweepMerge {

    private SweepMerge() {
    }

    /** One checked input directory. */
    private record Input(Path dir, Path file, JsonNode summary) {
    }

    /** One run taken into the merge, with the bytes of its file (null for a failed run). */
    private record Taken(RunOutcome outcome, Path dir, byte[] file) {
    }

    public static SweepSummary merge(List<Path> inputs, Path outputDir, List<String> commandLine) throws IOException {
        Instant start = Instant.now();
        long t0 = System.nanoTime();
        if (inputs.isEmpty()) {
            throw new InvalidInputException("merge needs at least one sweep output directory");
        }
        List<Input> read = new ArrayList<>();
        for (Path dir : inputs) {
            read.add(readSummary(dir));
        }
        Input first = read.get(0);
        ExperimentSpec spec = SpecLoader.fromDocument(first.summary().path("spec").path("document"),
                first.file() + " (its spec)");
        boolean smoke = first.summary().path("smoke").asBoolean();
        List<PlannedRun> plan = SweepPlan.of(spec, smoke);
        TreeMap<Integer, Taken> byIndex = new TreeMap<>();
        for (Input in : read) {
            JsonNode s = in.summary();
            if (!s.path("spec").path("hash").asText().equals(spec.hash())) {
                throw new InvalidInputException(in == first
                        ? "cannot merge " + in.file() + ": spec.hash does not match its spec document (edited?)"
                        : "cannot merge " + in.dir() + " with " + first.dir() + ": they are sweeps of different specs "
                        + "(spec hash " + spec.hash() + " vs " + UserText.quote(s.path("spec").path("hash").asText())
                        + ")");
            }
            if (s.path("smoke").asBoolean() != smoke) {
                throw new InvalidInputException("cannot merge " + in.dir() + " with " + first.dir()
                        + ": one ran with --smoke and the other without");
            }
            if (s.path("gridSize").asLong() != plan.size()) {
                throw new InvalidInputException("cannot merge " + in.file() + ": its gridSize " + s.path("gridSize")
                        + " disagrees with its spec's grid of " + plan.size() + " points");
            }
            for (JsonNode r : s.path("runs")) {
                Taken t = take(in, r, plan);
                Taken earlier = byIndex.get(t.outcome().index());
                if (earlier == null || !earlier.outcome().ok() && t.outcome().ok()) {
                    byIndex.put(t.outcome().index(), t); // a shard run again after a failure wins
                }
            }
        }
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < plan.size() && missing.size() < 10; i++) {
            if (!byIndex.containsKey(i)) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidInputException("cannot merge: grid points " + missing + (missing.size() == 10 ? "..." : "")
                    + " are in none of the given directories; give every shard's output directory");
        }

        // everything checked: now write
        RunStore out = new RunStore(outputDir);
        Files.createDirectories(out.dir());
        SweepOutput.checkTree(outputDir, "merge -o " + outputDir);
        List<RunOutcome> outcomes = new ArrayList<>();
        for (Taken t : byIndex.values()) {
            outcomes.add(t.outcome());
            if (t.file() != null && !new RunStore(t.dir()).file(t.outcome().id()).toAbsolutePath().normalize()
                    .equals(out.file(t.outcome().id()).toAbsolutePath().normalize())) {
                out.write(t.outcome().id(), t.file());
            }
        }
        ObjectNode timing = JsonNodeFactory.instance.objectNode();
        timing.put("totalSeconds", (System.nanoTime() - t0) / 1e9);
        timing.put("mergedFrom", inputs.size());
        JsonNode provenance = Json.mapper().valueToTree(Provenance.capture(ToolVersion.get(), commandLine, start));
        SweepSummary summary = SweepSummary.build(spec, smoke, Shard.ALL, plan.size(), outcomes, provenance, timing);
        SweepOutput.write(outputDir, summary, spec.kind());
        return summary;
    }

    private static Input readSummary(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException("cannot merge " + dir + ": " + (Files.exists(dir) ? "not a directory"
                    : "no such directory") + "; give sweep output directories");
        }
        SweepOutput.checkTree(dir, "cannot merge " + dir);
        Path file = dir.resolve(SweepOutput.SUMMARY_JSON);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidInputException("cannot merge " + dir + ": it has no " + SweepOutput.SUMMARY_JSON
                    + " (is it a sweep output directory? was the sweep killed before it finished?)");
        }
        JsonNode s = JsonDocuments.read(file, "cannot merge " + file);
        if (!SweepSummary.SCHEMA.equals(s.path("schema").asText())) {
            throw new InvalidInputException("cannot merge " + file + ": not a sweep summary (schema is "
                    + UserText.quote(s.path("schema").toString()) + ", expected \"" + SweepSummary.SCHEMA + "\")");
        }
        SummaryShape.check(s, file);
        return new Input(dir, file, s);
    }

    /** One run of a summary, checked against the plan and, when it succeeded, against its file. */
    private static Taken take(Input in, JsonNode r, List<PlannedRun> plan) {
        int index = r.path("index").asInt(-1);
        String id = r.path("id").asText();
        if (index < 0 || index >= plan.size()) {
            throw new InvalidInputException("cannot merge " + in.file() + ": run index " + r.path("index")
                    + " is outside its grid of " + plan.size() + " points");
        }
        PlannedRun planned = plan.get(index);
        // compared as canonical JSON (42 and 42.0, key order): the config must hash to the run id
        if (!planned.id().equals(id) || !RunId.of(r.path("config")).equals(id)
                || !CanonicalJson.sha256(planned.point()).equals(CanonicalJson.sha256(r.path("point")))) {
            throw new InvalidInputException("cannot merge " + in.file() + ": run " + UserText.quote(id) + " at grid "
                    + "index " + index + " is not that grid point of its spec (expected run " + planned.id()
                    + " with its config and point); was the file edited?");
        }
        if (!RunOutcome.OK.equals(r.path("status").asText())) {
            String error = r.path("error").isTextual() ? r.path("error").asText() : "failed";
            return new Taken(RunOutcome.failed(planned, error), in.dir(), null);
        }
        Path file = new RunStore(in.dir()).file(id);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidInputException("cannot merge " + in.dir() + ": the result file " + file + " of run " + id
                    + " is missing; run the shard again with --resume");
        }
        byte[] bytes = BoundedInput.readFile(file, "cannot merge " + file);
        JsonNode report = JsonDocuments.parse(BoundedInput.text(bytes, "cannot merge " + file), "cannot merge " + file);
        RunFile runFile = RunFile.of(report).filter(f -> RunStore.isValidFor(f, planned)).orElse(null);
        if (runFile == null) {
            throw new InvalidInputException("cannot merge " + file + ": not a complete report of run " + id
                    + " (its config, paths or precisions differ, or it is cut short)");
        }
        String problem = RunFileCheck.problem(report);
        if (problem != null) {
            throw new InvalidInputException("cannot merge " + file + ": " + problem + "; was it edited?");
        }
        RunOutcome fromFile = RunOutcome.fromReport(planned, runFile);
        List<RunOutcome> fromSummary = SweepSummary.outcomesOf(wrap(r));
        if (!fromSummary.get(0).results().equals(fromFile.results())) {
            throw new InvalidInputException("cannot merge " + in.file() + ": the results of run " + id + " differ from "
                    + "its file " + file + "; was one of them edited?");
        }
        return new Taken(fromFile, in.dir(), bytes);
    }

    private static JsonNode wrap(JsonNode run) {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.putArray("runs").add(run);
        return d;
    }
}
