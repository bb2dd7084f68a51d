package dev.softmaxlab.experiments.audit;

import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.report.Provenance;
import dev.softmaxlab.experiments.report.ToolInfo;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The {@code softmaxlab.audit/1} JSON document ({@code experiments/schema/audit.schema.json}): schema id, tool,
 * provenance, the resolved config, the input file (name, size, SHA-256, format, entries), the report, the generated
 * reading and the timing. Strict RFC 8259 through {@link Json}.
 */
public record AuditDocument(String schema, ToolInfo tool, Provenance provenance, Config config, Source source,
                            AuditReport.InputStats input, List<AuditReport.PathPrecision> paths,
                            List<AuditReport.Misuse> misuse, List<String> reading, Auditor.Timing timing) {

    public static final String SCHEMA = "softmaxlab.audit/1";

    /** The resolved config. */
    public record Config(List<String> paths, List<String> precisions, String accumulate, long ignoreIndex,
                         int headroomRows, int worstRows) {
        static Config of(AuditConfig c) {
            return new Config(c.paths().stream().map(p -> p.id()).toList(),
                    c.precisions().stream().map(p -> p.compute().id()).toList(),
                    c.precisions().stream().filter(p -> p.compute().significandBits() < 24).findFirst()
                            .map(p -> p.accumulate().id()).orElse("fp32"),
                    c.ignoreIndex(), c.headroomRows(), c.worstRows());
        }
    }

    /**
     * Where the numbers came from.
     *
     * @param file    the logits file: name, size, SHA-256
     * @param format  npy, npz, safetensors or raw
     * @param logits  the logits entry's name, or null for a one-tensor file
     * @param labels  where the labels came from, or null for dense targets
     * @param targets where the dense targets came from, or null
     */
    public record Source(InputFile file, String format, String logits, String labels, String targets) {
    }

    public static AuditDocument of(Provenance provenance, AuditConfig config, Source source, Auditor.Result result) {
        AuditReport r = result.report();
        return new AuditDocument(SCHEMA, ToolInfo.current(), provenance, Config.of(config), source, r.input(),
                r.paths(), r.misuse(), AuditReading.of(r), result.timing());
    }

    public void writeTo(OutputStream out) throws IOException {
        Json.mapper().writerWithDefaultPrettyPrinter().writeValue(out, this);
        out.write('\n');
    }
}
