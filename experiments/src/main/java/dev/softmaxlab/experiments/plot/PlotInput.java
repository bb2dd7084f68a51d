package dev.softmaxlab.experiments.plot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.audit.AuditDocument;
import dev.softmaxlab.experiments.probe.ProbeJson;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.report.TrainingReport;
import dev.softmaxlab.experiments.sweep.SweepOutput;
import dev.softmaxlab.experiments.sweep.SweepSummary;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A document to plot, recognised by its {@code schema} id: a train report, a sweep (its directory, or its
 * summary.json), a probe document or an
 * audit document. Anything else is refused in one line that says what was found and what to give.
 *
 * @param kind     which document
 * @param source   how messages and the page name it (the path as given)
 * @param document the parsed document (for a sweep, its summary)
 */
public record PlotInput(Kind kind, String source, JsonNode document) {

    /** The documents plot draws. */
    public enum Kind { REPORT, SWEEP, PROBE, AUDIT }

    /** Schema name → (kind, the version this build reads). */
    private static final Map<String, Kind> KINDS = Map.of(
            name(TrainingReport.SCHEMA), Kind.REPORT,
            name(SweepSummary.SCHEMA), Kind.SWEEP,
            name(ProbeJson.SCHEMA), Kind.PROBE,
            name(AuditDocument.SCHEMA), Kind.AUDIT);
    private static final Map<Kind, String> READS = Map.of(
            Kind.REPORT, TrainingReport.SCHEMA, Kind.SWEEP, SweepSummary.SCHEMA, Kind.PROBE, ProbeJson.SCHEMA,
            Kind.AUDIT, AuditDocument.SCHEMA);

    private static final String WHAT_TO_GIVE = "give a train report (train -o FILE), a sweep directory (sweep -o DIR), "
            + "a probe --format json file or an audit --format json file";

    /** A train report still in memory (demo, train --html), named {@code source} on its page. */
    public static PlotInput of(TrainingReport report, String source) {
        return new PlotInput(Kind.REPORT, source, Json.mapper().valueToTree(report));
    }

    /** Reads {@code path}: a file, or a sweep directory. */
    public static PlotInput read(Path path) {
        String source = path.toString();
        if (Files.isDirectory(path)) {
            Path summary = path.resolve(SweepOutput.SUMMARY_JSON);
            if (!Files.isRegularFile(summary)) {
                throw new InvalidInputException(source + " has no " + SweepOutput.SUMMARY_JSON + ", so it is not a "
                        + "finished sweep directory: give the -o DIR of a softmaxlab sweep, or " + WHAT_TO_GIVE);
            }
            PlotInput in = parse(summary, summary.toString());
            if (in.kind() != Kind.SWEEP) {
                throw new InvalidInputException(summary + " is a " + in.document().get("schema").asText()
                        + " document, not a sweep summary: give the -o DIR of a softmaxlab sweep");
            }
            return in;
        }
        return parse(path, source);
    }

    private static PlotInput parse(Path file, String source) {
        JsonNode doc;
        try {
            doc = Json.mapper().readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(source + ": no such file or directory: check the path");
        } catch (AccessDeniedException e) {
            throw new InvalidInputException(source + ": permission denied: make it readable");
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(source + " is not a softmaxlab document (not JSON: line "
                    + e.getLocation().getLineNr() + "): " + WHAT_TO_GIVE);
        } catch (IOException e) {
            throw new InvalidInputException(source + ": cannot read: " + e.getMessage());
        }
        JsonNode schema = doc == null ? null : doc.get("schema");
        if (doc == null || !doc.isObject() || schema == null || !schema.isTextual()
                || !schema.asText().startsWith("softmaxlab.")) {
            throw new InvalidInputException(source + " is not a softmaxlab document (it has no \"schema\": "
                    + "\"softmaxlab....\" field): " + WHAT_TO_GIVE);
        }
        String id = schema.asText();
        Kind kind = KINDS.get(name(id));
        if (kind == null) {
            throw new InvalidInputException(source + " is a " + id + " document, which plot does not draw: "
                    + WHAT_TO_GIVE);
        }
        String reads = READS.get(kind);
        int version = version(id);
        if (version > version(reads)) {
            throw new InvalidInputException(source + " is " + id + ", newer than this softmaxlab reads (" + reads
                    + "): plot it with the softmaxlab version that wrote it, or a later one");
        }
        if (version < 1) {
            throw new InvalidInputException(source + ": schema \"" + id + "\" has no valid version: expected " + reads);
        }
        return new PlotInput(kind, source, doc);
    }

    /** "softmaxlab.report" of "softmaxlab.report/1". */
    private static String name(String schemaId) {
        int slash = schemaId.indexOf('/');
        return slash < 0 ? schemaId : schemaId.substring(0, slash);
    }

    /** 1 of "softmaxlab.report/1"; 0 if there is no valid version. */
    private static int version(String schemaId) {
        int slash = schemaId.indexOf('/');
        if (slash < 0) {
            return 0;
        }
        try {
            return Integer.parseInt(schemaId.substring(slash + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
