package dev.softmaxlab.app.cli;

import dev.softmaxlab.app.cli.options.InputLimitsOptions;
import dev.softmaxlab.app.cli.options.LossHeadExtraOptions;
import dev.softmaxlab.app.cli.options.LossHeadOptions;
import dev.softmaxlab.app.cli.options.ThreadsOption;
import dev.softmaxlab.app.cli.options.OutputOptions;
import dev.softmaxlab.app.cli.options.VerboseOption;
import dev.softmaxlab.app.output.OutputFormat;
import dev.softmaxlab.app.output.ProbeText;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.core.loss.KernelChoice;
import dev.softmaxlab.core.loss.Reduction;
import dev.softmaxlab.core.precision.PrecisionSpec;
import dev.softmaxlab.core.kernel.KernelProvider;
import dev.softmaxlab.experiments.io.BoundedInput;
import dev.softmaxlab.experiments.io.UserText;
import dev.softmaxlab.experiments.probe.CommandLineCase;
import dev.softmaxlab.experiments.probe.JsonLinesCaseParser;
import dev.softmaxlab.experiments.probe.TensorCaseSource;
import dev.softmaxlab.experiments.probe.JsonLinesSource;
import dev.softmaxlab.experiments.probe.OrderedPipeline;
import dev.softmaxlab.experiments.probe.ProbeCase;
import dev.softmaxlab.experiments.probe.ProbeCaseResult;
import dev.softmaxlab.experiments.probe.ProbeConfig;
import dev.softmaxlab.experiments.probe.ProbeEvaluator;
import dev.softmaxlab.experiments.probe.ProbeJson;
import dev.softmaxlab.experiments.probe.ScaleSweep;
import dev.softmaxlab.experiments.probe.Vectors;
import dev.softmaxlab.experiments.tensor.TensorFile;
import dev.softmaxlab.experiments.report.Provenance;
import dev.softmaxlab.experiments.report.ToolVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.io.Reader;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code softmaxlab probe}: what do the paths give for these logits, at these precisions? */
@Command(name = "probe",
        mixinStandardHelpOptions = true,
        defaultValueProvider = LossHeadOptions.CoreDefaults.class,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        header = "Show what each loss path gives for some logits, at each precision.",
        description = {
            "",
            "Evaluates rows of logits through the loss paths (--paths) at each",
            "precision and reports, for every combination, the loss, the gradient",
            "and the numeric events, with the loss-head options given.",
            "",
            "Give one case with --logits and --label or --target, or many with --input,",
            "a JSON Lines file with one case per line:",
            "  {\"logits\":[2,1,0.1],\"label\":0}",
            "  {\"logits\":[2,1,0.1],\"target\":[0.7,0.2,0.1]}",
            "Non-finite values are the strings \"NaN\", \"Infinity\", \"-Infinity\".",
            "--input also takes an .npy/.npz/.safetensors file: one case per row of its",
            "'logits' entry, labels from its 'labels' entry (see softmaxlab logits).",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  # large logits: fused gives 2000, separate an infinite loss and NaN gradient",
            "  softmaxlab probe --logits 1000,0,-1000 --label 2",
            "",
            "  # a soft target in fp16, summing in fp16 itself",
            "  softmaxlab probe --logits 2,1,0.1 --target 0.7,0.2,0.1 \\",
            "      --precision fp16 --accumulate fp16",
            "",
            "  # two paths at fp32 as one JSON document",
            "  softmaxlab probe --logits 12,0,-3 --label 0 --paths fused,separate \\",
            "      --precision fp32 --format json",
            "",
            "  # many cases, one JSON object per line, into a file",
            "  softmaxlab probe --input cases.jsonl --format jsonl -o results.jsonl",
            "",
            "  # where does each path break as the logits grow? (then: softmaxlab plot sweep.json -o DIR)",
            "  softmaxlab probe --logits 2,1,0.1 --label 2 --scale-sweep 1:1e5:41 --format json -o sweep.json",
            "",
            "  # from stdin",
            "  printf '{\"logits\":[1,\"NaN\",0],\"label\":0}\\n' | softmaxlab probe --input -",
            "",
            ExitCodes.HELP
        })
public final class ProbeCommand implements Callable<Integer> {

    @Option(names = "--logits", paramLabel = "Z0,Z1,...", order = 1,
            description = "One row of logits, comma-separated; NaN, Infinity, -Infinity, inf, -inf allowed.")
    String logits;

    @Option(names = "--label", paramLabel = "K", order = 2,
            description = "The class index of --logits' sparse label, in 0..C-1.")
    Integer label;

    @Option(names = "--target", paramLabel = "T0,T1,...", order = 3,
            description = "A dense target for --logits: C probabilities ≥ 0 that sum to 1.")
    String target;

    @Option(names = "--scale-sweep", paramLabel = "FROM:TO:N", order = 5,
            description = "Evaluate --logits times N factors, geometric from FROM to TO, each result with its error "
                    + "against the fp64 fused reference; 'softmaxlab plot' draws where each path breaks.")
    String scaleSweep;

    @Option(names = "--input", paramLabel = "FILE", order = 4,
            description = "Read cases from a JSON Lines file, or '-' for stdin. Blank lines are skipped.")
    String input;

    @Mixin
    LossHeadOptions lossHead;

    @Mixin
    LossHeadExtraOptions extra;

    @Option(names = "--vectors", paramLabel = "WHICH", converter = VectorsConverter.class, order = 20,
            description = "Per-class vectors: all (gradient and probabilities), gradient, or none. json/jsonl "
                    + "default: all; text shows them only when asked, for rows of up to 16 classes.")
    Vectors vectors;

    @Mixin
    ThreadsOption threads;

    @Mixin
    OutputOptions output;

    @Mixin
    InputLimitsOptions limits;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        OutputFormat format = output.format(EnumSet.of(OutputFormat.TEXT, OutputFormat.JSON, OutputFormat.JSONL));
        // each case is a batch of one row, reported as that row's own loss and gradient: no reduction divides it
        // (under mean a class weight would divide the gradient by w_y, and an ignored row would make 0/0)
        if (verbose.verbose()) {
            spec.commandLine().getErr().println("softmaxlab: " + KernelProvider.choice() + "; " + KernelChoice.rule());
        }
        ProbeConfig config = new ProbeConfig(lossHead.paths(), lossHead.precisionSpecs(), lossHead.accumulate(),
                extra.applyTo(lossHead.lossOptions()).withReduction(Reduction.NONE),
                vectors != null ? vectors : Vectors.ALL);
        int ignoreIndex = config.options().ignoreIndex();
        int workers = threads.count();
        textVectors = vectors != null && vectors != Vectors.NONE;
        ProbeEvaluator evaluator = new ProbeEvaluator(config);
        Provenance provenance = Provenance.capture(ToolVersion.get(),
                spec.commandLine().getParseResult().originalArgs(), Instant.now());

        if (input == null) {
            if (logits == null) {
                throw new InvalidInputException("no case given: give --logits with --label or --target, "
                        + "or --input FILE (JSON Lines; '-' for stdin)");
            }
            ProbeCase c = CommandLineCase.parse(logits, label, target, ignoreIndex);
            for (PrecisionSpec s : config.precisions()) {
                config.options().requireFits(c.classes(), s); // before anything is written
            }
            if (scaleSweep != null) {
                ScaleSweep sweep = ScaleSweep.parse(scaleSweep);
                ProbeEvaluator withReference = new ProbeEvaluator(config, true);
                java.util.Iterator<ProbeCase> cases = sweep.cases(c).iterator();
                OrderedPipeline.Source<ProbeCase> source = () -> cases.hasNext() ? cases.next() : null;
                output.write(spec.commandLine().getOut(), sink -> emit(format, config, provenance, sink, source,
                        Function.identity(), withReference, workers, sweep));
                return ExitCodes.OK;
            }
            output.write(spec.commandLine().getOut(), sink -> emit(format, config, provenance, sink,
                    single(c), Function.identity(), evaluator, 1, null));
            return ExitCodes.OK;
        }
        if (scaleSweep != null) {
            throw new InvalidInputException("--scale-sweep scales the --logits row: give --logits with --label or "
                    + "--target instead of --input");
        }
        if (logits != null || label != null || target != null) {
            throw new InvalidInputException("--input was given with --logits/--label/--target: give cases either in "
                    + "the --input file or on the command line, not both");
        }
        String source = "--input " + input;
        if (!input.equals("-") && TensorFile.looksLikeTensorFile(Path.of(input))) {
            // a tensor file (.npy, .npz, .safetensors): one case per row of 'logits', labels from 'labels'
            try (TensorCaseSource cases = TensorCaseSource.open(Path.of(input), source)) {
                output.write(spec.commandLine().getOut(), sink -> emit(format, config, provenance, sink, cases,
                        Function.identity(), evaluator, workers, null));
            }
            return ExitCodes.OK;
        }
        JsonLinesCaseParser parser = new JsonLinesCaseParser(source, ignoreIndex);
        JsonLinesSource lines;
        try (Reader reader = open(input)) {
            lines = new JsonLinesSource(reader, source);
            output.write(spec.commandLine().getOut(), sink -> emit(format, config, provenance, sink, lines,
                    line -> parser.parse(line.chars(), line.number(), line.index()), evaluator, workers, null));
        }
        if (lines.cases() == 0) {
            spec.commandLine().getErr().println("softmaxlab: 0 cases in " + UserText.line(source)
                    + " (it is empty or holds only blank lines)");
        }
        return ExitCodes.OK;
    }

    /** Whether the text output shows per-class vectors: only when --vectors asks for some. */
    private boolean textVectors;

    /** Parse (if needed), evaluate and render on the workers; write in input order on this thread. */
    private <I> void emit(OutputFormat format, ProbeConfig config, Provenance provenance,
                                 OutputOptions.Sink sink, OrderedPipeline.Source<I> source,
                                 Function<I, ProbeCase> parse, ProbeEvaluator evaluator, int workers,
                                 ScaleSweep sweep) throws IOException {
        Function<I, ProbeCaseResult> evaluate = sweep == null ? parse.andThen(evaluator::evaluate)
                : parse.andThen(evaluator::evaluate).andThen(r -> r.scaled(sweep));
        switch (format) {
            case TEXT -> {
                Writer w = sink.writer();
                w.write(ProbeText.header(config.options()));
                boolean shown = textVectors;
                Function<ProbeCaseResult, String> render = sweep == null ? r -> ProbeText.render(r, shown)
                        : r -> "scale ×" + r.scale() + "\n" + ProbeText.render(r, shown);
                OrderedPipeline.run(source, evaluate.andThen(render), w::write, workers);
                w.write(ProbeText.legend());
            }
            case JSONL -> {
                OutputStream os = sink.bytes();
                OrderedPipeline.run(source, evaluate.andThen(ProbeJson::caseBytes), b -> {
                    os.write(b);
                    os.write('\n');
                }, workers);
            }
            case JSON -> {
                ProbeJson.Document doc = ProbeJson.Document.start(sink.bytes(), ToolVersion.get(), provenance, config,
                        sweep);
                OrderedPipeline.run(source, evaluate.andThen(ProbeJson::caseBytes), doc::add, workers);
                doc.end();
            }
            default -> throw new IllegalStateException("format " + format);
        }
    }

    private static OrderedPipeline.Source<ProbeCase> single(ProbeCase c) {
        ProbeCase[] next = {c};
        return () -> {
            ProbeCase x = next[0];
            next[0] = null;
            return x;
        };
    }

    /**
     * The input as UTF-8 chars; bad bytes become U+FFFD, so that {@link JsonLinesSource} names their line
     * (a strict decoder would throw lines ahead of the culprit). What the first read returns is sniffed, so a binary
     * file is called binary.
     */
    private static Reader open(String input) {
        String what = "--input " + input;
        InputStream in;
        if (input.equals("-")) {
            in = BoundedInput.stdin(what);
        } else {
            Path p = Path.of(input);
            try {
                if (Files.isDirectory(p)) {
                    throw new InvalidInputException(what + " is a directory: give a JSON Lines file");
                }
                in = Files.newInputStream(p);
            } catch (NoSuchFileException e) {
                throw new InvalidInputException(what + ": no such file: check the path, or give --input - "
                        + "to read stdin");
            } catch (AccessDeniedException e) {
                throw new InvalidInputException(what + ": permission denied: make the file readable");
            } catch (IOException e) {
                throw new InvalidInputException(what + ": cannot read: " + e.getMessage());
            }
        }
        try {
            PushbackInputStream sniffed = new PushbackInputStream(in, 8192);
            byte[] head = new byte[8192];
            int n = sniffed.read(head);
            if (n > 0) {
                if (BoundedInput.looksBinary(head, n)) {
                    sniffed.close();
                    throw BoundedInput.binary(what);
                }
                sniffed.unread(head, 0, n);
            }
            return new InputStreamReader(sniffed, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException(what + ": cannot read: " + e.getMessage());
        }
    }

    /** {@code --vectors} ids. */
    static final class VectorsConverter implements ITypeConverter<Vectors> {
        @Override
        public Vectors convert(String value) {
            try {
                return Vectors.fromId(value.trim());
            } catch (InvalidInputException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
