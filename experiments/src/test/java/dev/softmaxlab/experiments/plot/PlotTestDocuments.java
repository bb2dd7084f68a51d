package dev.softmaxlab.experiments.plot;

import dev.softmaxlab.core.loss.LossPaths;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import dev.softmaxlab.experiments.audit.AuditConfig;
import dev.softmaxlab.experiments.audit.AuditDocument;
import dev.softmaxlab.experiments.audit.AuditInput;
import dev.softmaxlab.experiments.audit.Auditor;
import dev.softmaxlab.experiments.audit.InputFile;
import dev.softmaxlab.experiments.report.Provenance;
import dev.softmaxlab.experiments.tensor.DType;
import dev.softmaxlab.experiments.tensor.TensorFile;
import dev.softmaxlab.experiments.tensor.TensorWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** Test documents for tests outside this package. */
public final class PlotTestDocuments {

    private PlotTestDocuments() {
    }

    /** A real train report (a small run in which some paths go non-finite), written to {@code dir}. */
    public static Path realReport(Path dir) throws IOException {
        return Reports.write(dir, "report.json", Reports.real());
    }

    /**
     * The logits of {@link #realAudit}, label 1 on the first two rows and 0 on the third. In fp16 (largest finite
     * 65504, so exp(z) overflows from z ≈ 11.09 on), separate-naive breaks on row 1 (e^12 ≈ 162755) and its scale
     * headroom on that row is 11.08984375 / 12 ≈ 0.924 (the bisection lands within 0.4% below); fused stays finite
     * until a logit rounds to ∞ (65520), far above 1×. Row 2 is tame for every path.
     */
    public static final double[][] AUDIT_LOGITS = {{10, 0}, {12, 0}, {0.5, 0.25}};

    /**
     * A real audit document: the Auditor run on {@link #AUDIT_LOGITS} (fp64 safetensors) for fused and separate-naive
     * in fp32 and fp16, every row sampled for headroom, written to {@code dir} as {@code audit.json}.
     */
    public static Path realAudit(Path dir) throws IOException {
        Path logits = dir.resolve("audit-logits.safetensors");
        long[] labels = {1, 1, 0};
        TensorWriter.write(logits, TensorFile.Format.SAFETENSORS, List.of(
                new TensorWriter.Tensor("logits", DType.FLOAT64, new long[] {3, 2},
                        (i, dst) -> System.arraycopy(AUDIT_LOGITS[(int) i], 0, dst, 0, 2)),
                new TensorWriter.Tensor("labels", DType.INT64, new long[] {3}, (i, dst) -> dst[0] = labels[(int) i])),
                false);
        AuditConfig config = new AuditConfig(List.of(LossPaths.byId("fused"), LossPaths.byId("separate-naive")),
                List.of(PrecisionSpec.of(Precision.fromId("fp32")), PrecisionSpec.of(Precision.fromId("fp16"))),
                AuditConfig.DEFAULT_IGNORE_INDEX, 3, 3);
        Path out = dir.resolve("audit.json");
        try (AuditInput in = AuditInput.open(logits, null, null, null, null, config.ignoreIndex());
             OutputStream o = Files.newOutputStream(out)) {
            AuditDocument.of(Provenance.capture("test", List.of("audit"), Instant.now()), config,
                    new AuditDocument.Source(InputFile.of(logits), "safetensors", "logits", "labels", null),
                    Auditor.run(in, config, 1, null, null)).writeTo(o);
        }
        return out;
    }
}
