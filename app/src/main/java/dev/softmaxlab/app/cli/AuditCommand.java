package dev.softmaxlab.app.cli;

import dev.softmaxlab.app.cli.options.Choices;
import dev.softmaxlab.app.cli.options.Converters;
import dev.softmaxlab.app.cli.options.LossHeadExtraOptions;
import dev.softmaxlab.app.cli.options.LossHeadOptions;
import dev.softmaxlab.app.cli.options.OutputOptions;
import dev.softmaxlab.app.cli.options.ProgressOptions;
import dev.softmaxlab.app.cli.options.ThreadsOption;
import dev.softmaxlab.app.cli.options.VerboseOption;
import dev.softmaxlab.app.output.AuditText;
import dev.softmaxlab.app.output.OutputFormat;
import dev.softmaxlab.app.output.ProgressBar;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.core.loss.LossOptions;
import dev.softmaxlab.core.loss.LossPath;
import dev.softmaxlab.core.loss.LossPaths;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import dev.softmaxlab.experiments.audit.AuditConfig;
import dev.softmaxlab.experiments.audit.AuditCsv;
import dev.softmaxlab.experiments.audit.AuditDocument;
import dev.softmaxlab.experiments.audit.AuditInput;
import dev.softmaxlab.experiments.audit.AuditRows;
import dev.softmaxlab.experiments.audit.Auditor;
import dev.softmaxlab.experiments.audit.InputFile;
import dev.softmaxlab.experiments.report.AtomicFiles;
import dev.softmaxlab.experiments.report.Provenance;
import dev.softmaxlab.experiments.report.ToolVersion;
import dev.softmaxlab.experiments.tensor.DType;
import dev.softmaxlab.experiments.tensor.RawLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** {@code softmaxlab audit}: how would each loss path fare on a model's own logits? The work is in experiments/audit. */
@Command(name = "audit",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        header = "Audit a model's own logits: error of each loss path against an exact reference, breaks, headroom.",
        description = {
            "",
            "Reads logits [N, C] or [..., C] (leading dimensions flattened) from",
            ".npy, .npz, .safetensors, or raw little-endian data (--dtype, --shape),",
            "with sparse labels or dense targets, and runs every path at every",
            "precision on the tensor's own values. Each row is compared with the",
            "exact loss and gradient (double-double, rounded once); errors are in",
            "ulps of each path's own precision. Rows are streamed: memory stays flat",
            "whatever the file size. .pt pickles are refused (loading one runs code).",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  softmaxlab logits -o batch.safetensors --shape 256,32000 --dtype bf16",
            "  softmaxlab audit batch.safetensors --paths fused,separate --precision fp32,bf16",
            "  softmaxlab audit logits.npy --labels labels.npy --format json -o audit.json",
            "  softmaxlab audit out.npz --logits scores --labels y --rows rows.jsonl",
            "  softmaxlab audit dump.bin --dtype bf16 --shape 8,512,32000 --labels labels.npy",
            "  softmaxlab audit batch.npz --paths fused,fused-chunked --z-loss 1e-4 --softcap 30 --chunk-size 8192",
            "",
            ExitCodes.HELP
        })
public final class AuditCommand implements java.util.concurrent.Callable<Integer> {

    @Parameters(index = "0", paramLabel = "LOGITS_FILE", description = "The logits: .npy, .npz, .safetensors, or raw.")
    Path file;

    @Option(names = "--logits", paramLabel = "NAME", order = 1,
            description = "The logits entry of an .npz or .safetensors (default: the only entry, or 'logits').")
    String logitsName;

    @Option(names = "--labels", paramLabel = "NAME|FILE[:NAME]", order = 2,
            description = "Sparse labels [N] (or the logits' leading shape): an entry of the logits file, or "
                    + "another file (default: the logits file's entry 'labels').")
    String labels;

    @Option(names = "--targets", paramLabel = "FILE[:NAME]", order = 3,
            description = "Dense targets [N, C] instead of labels: an entry or another file.")
    String targets;

    @Option(names = "--dtype", paramLabel = "DTYPE", order = 4,
            description = "Raw file only: float64, float32, float16 or bfloat16 (also fp32, bf16, ...).")
    String dtype;

    @Option(names = "--shape", paramLabel = "N,C", order = 5,
            description = "Raw file only: the dimensions, e.g. 4096,131072 or 8,512,32000.")
    String shape;

    @Option(names = "--paths", order = 10, split = ",", paramLabel = "PATH", converter = Converters.PathConverter.class,
            completionCandidates = Choices.PathIds.class,
            description = "Loss paths, comma-separated (default: fused, separate, separate-naive, "
                    + "separate-clipped; the other registered paths run when named).")
    List<LossPath> paths;

    @Option(names = "--precision", order = 11, split = ",", paramLabel = "PRECISION",
            converter = Converters.PrecisionConverter.class, completionCandidates = Choices.PrecisionIds.class,
            description = "Precisions, comma-separated (default: fp64,fp32,bf16,fp16).")
    List<Precision> precisions;

    @Option(names = "--accumulate", order = 12, paramLabel = "PRECISION",
            converter = Converters.PrecisionConverter.class,
            description = "What bf16 and fp16 sums accumulate in: the format itself, fp32 or fp64 (default: fp32).")
    Precision accumulate;

    @Mixin
    LossHeadExtraOptions head;

    @Option(names = "--headroom-rows", paramLabel = "N", order = 22,
            description = "Rows (evenly spaced) that get the headroom search; 0 for none (default: 256).")
    Integer headroomRows;

    @Option(names = "--worst", paramLabel = "K", order = 23,
            description = "Worst rows listed per path and precision (default: 3).")
    Integer worst;

    @Option(names = "--rows", paramLabel = "FILE.jsonl", order = 24,
            description = "Also write one JSON line per row to FILE (atomically).")
    Path rowsFile;

    @Option(names = "--read-only", order = 25,
            description = "Only read and convert every row, then print the rate (a benchmark of the reader).")
    boolean readOnly;

    @Mixin
    ThreadsOption threads;

    @Mixin
    OutputOptions output;

    @Mixin
    ProgressOptions progress;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        OutputFormat format = output.format(EnumSet.of(OutputFormat.TEXT, OutputFormat.JSON, OutputFormat.CSV));
        AuditConfig config = new AuditConfig(paths == null || paths.isEmpty() ? LossPaths.defaults()
                : List.copyOf(new LinkedHashSet<>(paths)), specs(), head.applyTo(LossOptions.DEFAULTS),
                headroomRows != null ? headroomRows : AuditConfig.DEFAULT_HEADROOM_ROWS,
                worst != null ? worst : AuditConfig.DEFAULT_WORST_ROWS);
        int workers = threads.count();
        Provenance provenance = Provenance.capture(ToolVersion.get(),
                spec.commandLine().getParseResult().originalArgs(), Instant.now());
        RawLayout raw = raw();
        PrintWriter err = spec.commandLine().getErr();
        try (AuditInput input = AuditInput.open(file, raw, logitsName, labels, targets, config.ignoreIndex())) {
            config.requireFits(input.classes()); // class weights, ignore index, chunk carry: before anything is read
            if (readOnly) {
                Auditor.ReadRate rate = Auditor.readOnly(input);
                spec.commandLine().getOut().printf(java.util.Locale.ROOT,
                        "read %d rows x %d classes (%s, %d bytes) in %.3f s: %.2f GB/s%n", input.rows(),
                        input.classes(), input.logits().dtype().id(), rate.bytes(), rate.seconds(),
                        rate.bytes() / rate.seconds() / 1e9);
                return ExitCodes.OK;
            }
            // the hash reads the file once more, on its own thread, while the audit runs
            CompletableFuture<InputFile> hash = CompletableFuture.supplyAsync(() -> {
                try {
                    return InputFile.of(file);
                } catch (IOException e) {
                    throw new CompletionException(e);
                }
            });
            ProgressBar bar = progress.show() ? new ProgressBar(err, 1, System::nanoTime, "rows") : null;
            Auditor.Listener listener = bar == null ? null : bar::progress;
            Auditor.Result[] result = new Auditor.Result[1];
            try {
                if (rowsFile != null) {
                    AtomicFiles.write(rowsFile, os -> {
                        AuditRows sink = new AuditRows(os, config);
                        result[0] = Auditor.run(input, config, workers, listener, sink);
                        sink.finish();
                    });
                } else {
                    result[0] = Auditor.run(input, config, workers, listener, null);
                }
            } finally {
                if (bar != null) {
                    bar.finish();
                }
            }
            InputFile inputFile = hash.join();
            AuditDocument doc = AuditDocument.of(provenance, config, new AuditDocument.Source(inputFile,
                    input.logitsFile().format().id(), input.logits().name(), input.labelsWhere(),
                    input.targets() == null ? null : input.targets().where()), result[0]);
            output.write(spec.commandLine().getOut(), sink -> {
                switch (format) {
                    case JSON -> doc.writeTo(sink.bytes());
                    case CSV -> AuditCsv.write(result[0].report(), config, sink.writer());
                    default -> sink.writer().write(AuditText.render(doc, config.lossOptions()));
                }
            });
        }
        return ExitCodes.OK;
    }

    private List<PrecisionSpec> specs() {
        List<Precision> ps = precisions == null || precisions.isEmpty() ? LossHeadOptions.DEFAULT_PRECISIONS
                : List.copyOf(new LinkedHashSet<>(precisions));
        Precision acc = accumulate != null ? accumulate : PrecisionSpec.defaultAccumulation(Precision.BF16);
        List<PrecisionSpec> out = new ArrayList<>();
        for (Precision p : ps) {
            out.add(switch (p) {
                case FP64, FP32 -> PrecisionSpec.of(p);
                case BF16, FP16 -> new PrecisionSpec(p, acc);
            });
        }
        return out;
    }

    private RawLayout raw() {
        if (dtype == null && shape == null) {
            return null;
        }
        if (dtype == null || shape == null) {
            throw new InvalidInputException("a raw file needs both --dtype and --shape (e.g. --dtype bf16 --shape "
                    + "4096,32000); .npy, .npz and .safetensors carry their own");
        }
        return new RawLayout(DType.fromId(dtype), RawLayout.parseShape(shape));
    }
}
