package dev.softmaxlab.app.cli;

import dev.softmaxlab.app.cli.options.Converters;
import dev.softmaxlab.app.cli.options.OutputOptions;
import dev.softmaxlab.app.cli.options.ThreadsOption;
import dev.softmaxlab.app.cli.options.VerboseOption;
import dev.softmaxlab.app.output.BenchText;
import dev.softmaxlab.app.output.OutputFormat;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.core.loss.LossPath;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import dev.softmaxlab.experiments.bench.Bench;
import dev.softmaxlab.experiments.bench.BenchConfig;
import dev.softmaxlab.experiments.bench.BenchReport;
import dev.softmaxlab.experiments.bench.BenchShape;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.report.Provenance;
import dev.softmaxlab.experiments.report.ToolVersion;
import java.io.IOException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code softmaxlab bench}: how fast are the paths on my shapes, on this machine? */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        header = "Time the loss paths (forward plus backward) on shapes of your choice.",
        description = {
            "",
            "Times every path at every precision on seeded logits of each shape, after",
            "checking on a sample of rows that each fast kernel gives its reference's",
            "exact bits and events. Reports the median and spread of ns per logit, the",
            "effective GB/s, each path's memory beyond the logits and the gradient, and",
            "each path's time relative to fused.",
            ""
        },
        footer = {
            "",
            "Examples:",
            "  softmaxlab bench --threads 1",
            "  softmaxlab bench --shape 64x32000 --paths fused,separate --variant both",
            "  softmaxlab bench --shape 2x1000 --iterations 1 --format json",
            "",
            ExitCodes.HELP_BENCH
        })
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--shape", order = 1, split = ",", paramLabel = "BxC",
            description = "Batch shapes, rows x classes; repeatable or comma-separated "
                    + "(default: 4096x1000,64x32000,8x131072).")
    List<String> shapes;

    @Option(names = "--paths", order = 2, split = ",", paramLabel = "PATH", converter = Converters.PathConverter.class,
            description = "Loss paths, comma-separated (default: all).")
    List<LossPath> paths;

    @Option(names = "--precision", order = 3, split = ",", paramLabel = "PRECISION",
            converter = Converters.PrecisionConverter.class,
            description = "Precisions, comma-separated, from fp64, fp32, bf16, fp16 (default: fp32,fp64).")
    List<Precision> precisions;

    @Option(names = "--targets", order = 4, paramLabel = "KIND",
            description = "sparse labels or dense one-hot targets (default: sparse).")
    String targets;

    @Option(names = "--variant", order = 5, paramLabel = "VARIANT",
            description = "Kernels to time: fast (the fastest this JVM runs), reference, or both (default: fast).")
    String variant;

    @Option(names = "--warmup", order = 6, paramLabel = "N",
            description = "Untimed evaluations first, per combination (default: 3).")
    Integer warmup;

    @Option(names = "--iterations", order = 7, paramLabel = "N",
            description = "Timed evaluations per combination, at least 1 (default: 10).")
    Integer iterations;

    @Option(names = "--seconds", order = 8, paramLabel = "S",
            description = "Keep timing each combination for at least S seconds (default: off).")
    Double seconds;

    @Mixin
    ThreadsOption threads;

    @Mixin
    OutputOptions output;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        OutputFormat format = output.format(EnumSet.of(OutputFormat.TEXT, OutputFormat.JSON));
        BenchConfig config = config();
        Bench.checkMemory(config, Runtime.getRuntime().maxMemory());
        Provenance provenance = Provenance.capture(ToolVersion.get(),
                spec.commandLine().getParseResult().originalArgs(), Instant.now());
        BenchReport report = Bench.run(config, provenance, line -> { });
        output.write(spec.commandLine().getOut(), sink -> {
            if (format == OutputFormat.JSON) {
                Json.mapper().writerWithDefaultPrettyPrinter().writeValue(sink.bytes(), report);
                sink.bytes().write('\n');
            } else {
                sink.writer().write(BenchText.render(report));
            }
        });
        return report.checksPassed() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    private BenchConfig config() {
        BenchConfig d = BenchConfig.DEFAULTS;
        List<BenchShape> shapeList = shapes == null || shapes.isEmpty() ? d.shapes()
                : shapes.stream().map(BenchShape::parse).distinct().toList();
        List<LossPath> pathList = paths == null || paths.isEmpty() ? d.paths()
                : List.copyOf(new LinkedHashSet<>(paths));
        List<PrecisionSpec> precisionList = precisions == null || precisions.isEmpty() ? d.precisions()
                : new LinkedHashSet<>(precisions).stream().map(PrecisionSpec::of).toList();
        boolean dense;
        if (targets == null || targets.equals("sparse")) {
            dense = false;
        } else if (targets.equals("dense")) {
            dense = true;
        } else {
            throw new InvalidInputException("--targets '" + targets + "' is unknown: expected sparse or dense");
        }
        return new BenchConfig(shapeList, pathList, precisionList, dense, threads.count(),
                variant == null ? d.variants() : BenchConfig.Variants.fromId(variant),
                warmup == null ? d.warmup() : warmup, iterations == null ? d.iterations() : iterations,
                seconds == null ? d.seconds() : seconds, d.seed());
    }
}
