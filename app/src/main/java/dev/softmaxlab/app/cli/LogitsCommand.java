package dev.softmaxlab.app.cli;

import dev.softmaxlab.app.cli.options.VerboseOption;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.audit.SyntheticLogits;
import dev.softmaxlab.experiments.tensor.DType;
import dev.softmaxlab.experiments.tensor.RawLayout;
import dev.softmaxlab.experiments.tensor.TensorFile;
import dev.softmaxlab.experiments.tensor.TensorWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code softmaxlab logits}: realistic synthetic logits and labels in any tensor format, for trying audit at once. */
@Command(name = "logits",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        header = "Write synthetic logits (and labels) in .npy, .npz, .safetensors or raw format.",
        description = {
            "",
            "Logits with a Zipf-like spread over the vocabulary, a confidence knob (how often",
            "the label takes most of the mass) and a temperature; the same seed gives the same",
            "bytes. .npz and .safetensors hold 'logits' and 'labels'; for .npy and raw the labels",
            "go to a second file (--labels-output, default NAME.labels.npy beside it).",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  softmaxlab logits -o batch.safetensors --shape 4096,131072 --dtype bf16",
            "  softmaxlab logits -o small.npz --shape 64,1000 --confidence 0.9 --compress",
            "  softmaxlab logits -o dump.bin --shape 8,512,32000 --dtype fp16   # raw + dump.labels.npy",
            "",
            ExitCodes.HELP
        })
public final class LogitsCommand implements Callable<Integer> {

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE",
            description = "The file to write; its extension picks the format: .npy, .npz, .safetensors, .bin/.raw.")
    Path output;

    @Option(names = "--shape", paramLabel = "N,C", description = "Logits shape, [N, C] or [..., C] (default: 64,1000).")
    String shape;

    @Option(names = "--dtype", paramLabel = "DTYPE",
            description = "float64, float32, float16 or bfloat16 (bf16 needs .safetensors or raw) (default: float32).")
    String dtype;

    @Option(names = "--zipf", paramLabel = "S", description = "Zipf exponent of the class-frequency prior (default: 1.1).")
    Double zipf;

    @Option(names = "--confidence", paramLabel = "F",
            description = "Fraction of rows whose label takes most of the mass (default: 0.5).")
    Double confidence;

    @Option(names = "--temperature", paramLabel = "T", description = "Divides every logit (default: 1).")
    Double temperature;

    @Option(names = "--spread", paramLabel = "SD", description = "Standard deviation of the noise (default: 1.5).")
    Double spread;

    @Option(names = "--seed", paramLabel = "SEED", description = "Root seed (default: 0).")
    Long seed;

    @Option(names = "--compress", description = ".npz only: deflate the entries (as np.savez_compressed).")
    boolean compress;

    @Option(names = "--labels-output", paramLabel = "FILE",
            description = ".npy and raw only: where the int64 labels go (default: NAME.labels.npy).")
    Path labelsOutput;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        TensorFile.Format format = formatOf(output);
        long[] dims = RawLayout.parseShape(shape != null ? shape : "64,1000");
        DType type = dtype != null ? DType.fromId(dtype) : DType.FLOAT32;
        if (type.isInteger()) {
            throw new InvalidInputException("--dtype " + type.id() + ": logits are float64, float32, float16 or "
                    + "bfloat16");
        }
        if (type.npyDescr() == null && (format == TensorFile.Format.NPY || format == TensorFile.Format.NPZ)) {
            throw new InvalidInputException("--dtype " + type.id() + " cannot be stored in ." + format.id()
                    + " (numpy has no bfloat16): write .safetensors or raw (.bin) instead");
        }
        if (dims[dims.length - 1] > Integer.MAX_VALUE / 8) {
            throw new InvalidInputException("--shape " + shape + ": at most " + Integer.MAX_VALUE / 8 + " classes");
        }
        if (Files.isDirectory(output)) {
            throw new InvalidInputException("-o " + output + " is a directory: give a file path such as "
                    + output.resolve("logits.safetensors"));
        }
        long rows = 1;
        for (int i = 0; i < dims.length - 1; i++) {
            rows = Math.multiplyExact(rows, dims[i]);
        }
        long[] labelShape = java.util.Arrays.copyOf(dims, Math.max(1, dims.length - 1));
        if (dims.length == 1) {
            labelShape[0] = 1;
        }
        SyntheticLogits gen = new SyntheticLogits(rows, (int) dims[dims.length - 1],
                zipf != null ? zipf : SyntheticLogits.DEFAULT_ZIPF,
                confidence != null ? confidence : SyntheticLogits.DEFAULT_CONFIDENCE,
                temperature != null ? temperature : SyntheticLogits.DEFAULT_TEMPERATURE,
                spread != null ? spread : SyntheticLogits.DEFAULT_SPREAD, seed != null ? seed : 0L);
        TensorWriter.Tensor logits = new TensorWriter.Tensor("logits", type, dims, gen::row);
        TensorWriter.Tensor labels = new TensorWriter.Tensor("labels", DType.INT64, labelShape,
                (i, dst) -> dst[0] = gen.label(i));
        Path labelsPath = labelsOutput != null ? labelsOutput : defaultLabels(output);
        String wrote;
        if (format == TensorFile.Format.NPZ || format == TensorFile.Format.SAFETENSORS) {
            TensorWriter.write(output, format, List.of(logits, labels), compress);
            wrote = output + " (logits, labels)";
        } else {
            TensorWriter.write(labelsPath, TensorFile.Format.NPY, List.of(labels), false);
            TensorWriter.write(output, format, List.of(logits), false);
            wrote = output + " and " + labelsPath;
        }
        spec.commandLine().getErr().println("wrote " + wrote + ": logits " + type.id() + " "
                + java.util.Arrays.toString(dims) + (format == TensorFile.Format.RAW
                ? " (raw: audit it with --dtype " + type.id() + " --shape " + String.join(",",
                java.util.Arrays.stream(dims).mapToObj(Long::toString).toList()) + " --labels " + labelsPath
                + ")" : ""));
        return ExitCodes.OK;
    }

    private static Path defaultLabels(Path out) {
        String name = out.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return out.resolveSibling(stem + ".labels.npy");
    }

    private static TensorFile.Format formatOf(Path out) {
        String n = out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".npy")) {
            return TensorFile.Format.NPY;
        }
        if (n.endsWith(".npz")) {
            return TensorFile.Format.NPZ;
        }
        if (n.endsWith(".safetensors")) {
            return TensorFile.Format.SAFETENSORS;
        }
        if (n.endsWith(".bin") || n.endsWith(".raw")) {
            return TensorFile.Format.RAW;
        }
        throw new InvalidInputException("-o " + out + ": unknown format; end the name in .npy, .npz, .safetensors, "
                + ".bin or .raw");
    }
}
