package dev.softmaxlab.experiments.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.report.AtomicFiles;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.report.Provenance;
import dev.softmaxlab.experiments.report.ToolVersion;
import dev.softmaxlab.experiments.spec.ExperimentSpec;
import dev.softmaxlab.experiments.spec.SpecLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * {@code softmaxlab merge}: combines the output directories of a sharded sweep into the summary the unsharded
 * sweep writes (timings aside), and copies their result files. Refuses directories of different specs (by spec
 * hash), a mix of smoke and full runs, and a set of shards that leaves grid points out. The expectations are
 * evaluated again over all runs, since a shard sees only part of the grid.
 */
public final class SweepMerge {

    private SweepMerge() {
    }

    public static SweepSummary merge(List<Path> inputs, Path outputDir, List<String> commandLine) throws IOException {
        Instant start = Instant.now();
        long t0 = System.nanoTime();
        if (inputs.isEmpty()) {
            throw new InvalidInputException("merge needs at least one sweep output directory");
        }
        JsonNode first = null;
        Path firstDir = null;
        TreeMap<Integer, RunOutcome> byIndex = new TreeMap<>();
        TreeMap<Integer, Path> source = new TreeMap<>();
        for (Path dir : inputs) {
            JsonNode s = readSummary(dir);
            if (first == null) {
                first = s;
                firstDir = dir;
            } else {
                same(first, s, firstDir, dir, "hash", "spec", "are sweeps of different specs");
                if (first.path("smoke").asBoolean() != s.path("smoke").asBoolean()) {
                    throw new InvalidInputException("cannot merge " + dir + " with " + firstDir
                            + ": one ran with --smoke and the other without");
                }
                if (first.path("gridSize").asInt() != s.path("gridSize").asInt()) {
                    throw new InvalidInputException("cannot merge " + dir + " with " + firstDir + ": grid sizes differ");
                }
            }
            for (RunOutcome o : SweepSummary.outcomesOf(s)) {
                RunOutcome earlier = byIndex.putIfAbsent(o.index(), o);
                if (earlier == null) {
                    source.put(o.index(), dir);
                } else if (!earlier.id().equals(o.id())) {
                    throw new InvalidInputException("cannot merge: grid index " + o.index() + " is run " + earlier.id()
                            + " in " + source.get(o.index()) + " but " + o.id() + " in " + dir);
                } else if (!earlier.ok() && o.ok()) {
                    byIndex.put(o.index(), o); // a shard run again after a failure wins
                    source.put(o.index(), dir);
                }
            }
        }
        int gridSize = first.path("gridSize").asInt();
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < gridSize && missing.size() < 10; i++) {
            if (!byIndex.containsKey(i)) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidInputException("cannot merge: grid points " + missing + (missing.size() == 10 ? "..." : "")
                    + " are in none of the given directories; give every shard's output directory");
        }
        ExperimentSpec spec = SpecLoader.fromDocument(first.path("spec").path("document"), firstDir + "/summary.json");
        List<RunOutcome> outcomes = new ArrayList<>(byIndex.values());

        RunStore out = new RunStore(outputDir);
        for (RunOutcome o : outcomes) {
            Path from = new RunStore(source.get(o.index())).file(o.id());
            if (o.ok() && Files.isRegularFile(from) && !from.toAbsolutePath().normalize()
                    .equals(out.file(o.id()).toAbsolutePath().normalize())) {
                byte[] bytes = Files.readAllBytes(from);
                AtomicFiles.write(out.file(o.id()), os -> os.write(bytes));
            }
        }
        ObjectNode timing = JsonNodeFactory.instance.objectNode();
        timing.put("totalSeconds", (System.nanoTime() - t0) / 1e9);
        timing.put("mergedFrom", inputs.size());
        JsonNode provenance = Json.mapper().valueToTree(Provenance.capture(ToolVersion.get(), commandLine, start));
        SweepSummary summary = SweepSummary.build(spec, first.path("smoke").asBoolean(), Shard.ALL, gridSize, outcomes,
                provenance, timing);
        SweepOutput.write(outputDir, summary, spec.kind());
        return summary;
    }

    private static JsonNode readSummary(Path dir) throws IOException {
        Path file = dir.resolve(SweepOutput.SUMMARY_JSON);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        JsonNode s;
        try {
            s = Json.mapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new InvalidInputException("cannot merge " + file + ": not valid JSON (" + e.getMessage().lines()
                    .findFirst().orElse("") + ")");
        }
        if (!SweepSummary.SCHEMA.equals(s.path("schema").asText())) {
            throw new InvalidInputException("cannot merge " + file + ": not a sweep summary (schema is "
                    + s.path("schema") + ", expected \"" + SweepSummary.SCHEMA + "\")");
        }
        return s;
    }

    private static void same(JsonNode a, JsonNode b, Path da, Path db, String field, String object, String why) {
        if (!a.path(object).path(field).equals(b.path(object).path(field))) {
            throw new InvalidInputException("cannot merge " + db + " with " + da + ": they " + why + " ("
                    + object + " " + field + " " + a.path(object).path(field).asText() + " vs "
                    + b.path(object).path(field).asText() + ")");
        }
    }
}
