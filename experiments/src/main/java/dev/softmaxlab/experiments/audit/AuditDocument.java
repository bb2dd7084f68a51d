package dev.softmaxlab.experiments.audit;

import dev.softmaxlab.core.loss.LossOptions;
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

    /**
     * The resolved config, with every loss-head option, so that an audit can never be mistaken for one without them.
     *
     * @param classWeights w_c per class, or null for none
     * @param zLoss        λ of the z-loss (0: off)
     * @param softcap      c of the softcap, or null for none
     * @param chunkSize    classes per chunk of fused-chunked
     * @param chunkCarry   the precision fused-chunked carries its sums in, or null for the accumulation precision
     */
    public record Config(List<String> paths, List<String> precisions, String accumulate, long ignoreIndex,
                         List<Double> classWeights, double zLoss, Double softcap, int chunkSize, String chunkCarry,
                         int headroomRows, int worstRows) {
        static Config of(AuditConfig c) {
            LossOptions o = c.lossOptions();
            return new Config(c.paths().stream().map(p -> p.id()).toList(),
                    c.precisions().stream().map(p -> p.compute().id()).toList(),
                    c.precisions().stream().filter(p -> p.compute().significandBits() < 24).findFirst()
                            .map(p -> p.accumulate().id()).orElse("fp32"),
                    c.ignoreIndex(), o.classWeights().isUniform() ? null
                            : java.util.Arrays.stream(o.classWeights().toArray()).boxed().toList(),
                    o.zLoss(), o.softcap().isPresent() ? o.softcap().getAsDouble() : null, o.chunkSize(),
                    o.chunkCarry().map(p -> p.id()).orElse(null), c.headroomRows(), c.worstRows());
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
