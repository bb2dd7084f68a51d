package dev.softmaxlab.experiments.audit;

import dev.softmaxlab.core.loss.LossPaths;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import dev.softmaxlab.experiments.tensor.DType;
import dev.softmaxlab.experiments.tensor.TensorFile;
import dev.softmaxlab.experiments.tensor.TensorWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Small input files for the audit tests, and the run helper. */
final class AuditFixtures {

    private AuditFixtures() {
    }

    /** A safetensors file with logits [rows.length, C] (given dtype) and int64 labels. */
    static Path file(Path dir, String name, DType dtype, double[][] rows, long[] labels) throws IOException {
        int c = rows[0].length;
        List<TensorWriter.Tensor> t = new ArrayList<>();
        t.add(new TensorWriter.Tensor("logits", dtype, new long[] {rows.length, c},
                (i, dst) -> System.arraycopy(rows[(int) i], 0, dst, 0, c)));
        if (labels != null) {
            t.add(new TensorWriter.Tensor("labels", DType.INT64, new long[] {labels.length},
                    (i, dst) -> dst[0] = labels[(int) i]));
        }
        Path p = dir.resolve(name);
        TensorWriter.write(p, TensorFile.Format.SAFETENSORS, t, false);
        return p;
    }

    static AuditConfig config(String paths, String precisions, int headroomRows) {
        List<dev.softmaxlab.core.loss.LossPath> ps = new ArrayList<>();
        for (String id : paths.split(",")) {
            ps.add(LossPaths.byId(id));
        }
        List<PrecisionSpec> specs = new ArrayList<>();
        for (String id : precisions.split(",")) {
            specs.add(PrecisionSpec.of(Precision.fromId(id)));
        }
        return new AuditConfig(ps, specs, AuditConfig.DEFAULT_IGNORE_INDEX, headroomRows, 3);
    }

    static AuditReport run(Path file, AuditConfig config, int threads) throws IOException {
        try (AuditInput in = AuditInput.open(file, null, null, null, null, config.ignoreIndex())) {
            return Auditor.run(in, config, threads, null, null).report();
        }
    }

    static AuditReport.PathPrecision find(AuditReport r, String path, String precision) {
        return r.paths().stream().filter(p -> p.path().equals(path) && p.precision().equals(precision))
                .findFirst().orElseThrow();
    }
}
