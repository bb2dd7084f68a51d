package dev.softmaxlab.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.app.ExitCodes;
import dev.softmaxlab.app.cli.options.FailOnCondition;
import dev.softmaxlab.app.cli.options.ThreadsOption;
import dev.softmaxlab.app.cli.options.LossHeadOptions;
import dev.softmaxlab.app.cli.options.OutputOptions;
import dev.softmaxlab.app.cli.options.ProgressOptions;
import dev.softmaxlab.app.cli.options.ReductionOption;
import dev.softmaxlab.app.cli.options.InputLimitsOptions;
import dev.softmaxlab.app.cli.options.VerboseOption;
import dev.softmaxlab.app.output.OutputFormat;
import dev.softmaxlab.app.output.ProgressBar;
import dev.softmaxlab.app.output.TrainCsv;
import dev.softmaxlab.app.output.TrainJsonl;
import dev.softmaxlab.app.output.TrainText;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.core.loss.LossPath;
import dev.softmaxlab.core.loss.Reduction;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.report.JsonDocuments;
import dev.softmaxlab.experiments.report.Provenance;
import dev.softmaxlab.experiments.report.ToolVersion;
import dev.softmaxlab.experiments.report.TrainingReport;
import dev.softmaxlab.experiments.train.TrainConfig;
import dev.softmaxlab.experiments.train.TrainListener;
import dev.softmaxlab.experiments.train.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code softmaxlab train}: trains one model copy per loss path × precision from identical starts and reports what
 * each did. Every {@link TrainConfig} key is a flag (its kebab-case long name); only the flags the user gives become
 * overrides, laid over {@code --config FILE} (a report's config or a bare config object), laid over the defaults.
 */
@Command(name = "train",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        defaultValueProvider = TrainCommand.Defaults.class,
        description = {
            "Trains the same model once per loss path and precision from identical starts, side by side.",
            "Each loss path (fused, separate, separate-naive, separate-clipped) at each precision trains its own copy "
                    + "of the model from bit-identical initial weights on the same batches; the report gives per "
                    + "path the loss, accuracy, gradient norms and numeric events step by step.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  softmaxlab train --logit-scale 100 --paths fused,separate-naive",
            "  softmaxlab train --dataset digits --model mlp --lr 0.05 --steps 600",
            "  softmaxlab train --format jsonl | jq -c 'select(.type==\"step\")'",
            "  softmaxlab train --format json -o report.json",
            "  softmaxlab train --config report.json --lr 0.05",
            "  softmaxlab train --fail-on nonfinite:fused --fail-on 'test-accuracy<0.9:fused'",
            "",
            "Exit codes: 0 ok, 2 bad input (one line on stderr says what to fix), 3 a --fail-on condition held, "
                    + "1 internal error."
        })
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Start from this config: a report (its \"config\") or a bare config object. "
                    + "Flags given here override it.")
    Path configFile;

    @Option(names = "--print-config",
            description = "Print the resolved config as JSON and exit (a starting point for --config and specs).")
    boolean printConfig;

    // data
    @Option(names = "--dataset", paramLabel = "NAME",
            description = "blobs, spiral, iris, digits, or csv:PATH (default: ${DEFAULT-VALUE}).")
    String dataset;
    @Option(names = "--label-column", paramLabel = "NAME|INDEX",
            description = "csv: the label column, by header name or 0-based index (default: the last column).")
    String labelColumn;
    @Option(names = "--header", negatable = true,
            description = "csv: line 1 names the columns (default: true); --no-header reads it as data, naming the "
                    + "columns 0, 1, ... by index.")
    Boolean header;
    @Option(names = "--standardize", negatable = true,
            description = "Z-score features with the training split's mean and std (default: true).")
    Boolean standardize;
    @Option(names = "--test-fraction", paramLabel = "F",
            description = "Stratified test share in (0, 1) (default: ${DEFAULT-VALUE}).")
    Double testFraction;
    @Option(names = "--samples", paramLabel = "N",
            description = "blobs/spiral: rows (default: ${DEFAULT-VALUE}).")
    Integer samples;
    @Option(names = "--classes", paramLabel = "K",
            description = "blobs/spiral: classes (default: ${DEFAULT-VALUE}).")
    Integer classes;
    @Option(names = "--dimensions", paramLabel = "D",
            description = "blobs: features (default: ${DEFAULT-VALUE}).")
    Integer dimensions;
    @Option(names = "--separation", paramLabel = "S",
            description = "blobs: distance scale between class centres (default: ${DEFAULT-VALUE}).")
    Double separation;
    @Option(names = "--noise", paramLabel = "SIGMA",
            description = "blobs/spiral: noise standard deviation (default: ${DEFAULT-VALUE}).")
    Double noise;

    // model
    @Option(names = "--model", paramLabel = "MODEL",
            description = "linear (softmax regression) or mlp (default: ${DEFAULT-VALUE}).")
    String model;
    @Option(names = "--hidden", split = ",", paramLabel = "SIZE",
            description = "mlp hidden layer sizes, e.g. 64,64 (default: ${DEFAULT-VALUE}).")
    List<Integer> hidden;
    @Option(names = "--activation", paramLabel = "FN",
            description = "relu or tanh (default: ${DEFAULT-VALUE}).")
    String activation;
    @Option(names = "--init", paramLabel = "SCHEME",
            description = "he or xavier (default: ${DEFAULT-VALUE}).")
    String init;
    @Option(names = "--init-scale", paramLabel = "X",
            description = "Multiplies the initial weights (default: ${DEFAULT-VALUE}).")
    Double initScale;
    @Option(names = "--logit-scale", paramLabel = "X",
            description = "Multiplies the logits before the loss: large values push runs into the unstable "
                    + "regime (default: ${DEFAULT-VALUE}).")
    Double logitScale;
    @Option(names = "--model-precision", paramLabel = "P",
            description = "The model's own arithmetic: fp64 or fp32 (default: ${DEFAULT-VALUE}).")
    String modelPrecision;

    // optimizer
    @Option(names = "--optimizer", paramLabel = "NAME",
            description = "sgd, momentum or adam (default: ${DEFAULT-VALUE}).")
    String optimizer;
    @Option(names = "--lr", paramLabel = "RATE",
            description = "Learning rate > 0 (default: ${DEFAULT-VALUE}).")
    Double lr;
    @Option(names = "--weight-decay", paramLabel = "L2",
            description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
    Double weightDecay;
    @Option(names = "--momentum", paramLabel = "MU",
            description = "momentum: coefficient in [0, 1) (default: ${DEFAULT-VALUE}).")
    Double momentum;
    @Option(names = "--beta1", paramLabel = "B1", description = "adam β1 (default: ${DEFAULT-VALUE}).")
    Double beta1;
    @Option(names = "--beta2", paramLabel = "B2", description = "adam β2 (default: ${DEFAULT-VALUE}).")
    Double beta2;
    @Option(names = "--adam-eps", paramLabel = "EPS",
            description = "adam ε (default: ${DEFAULT-VALUE}).")
    Double adamEps;
    @Option(names = "--batch-size", paramLabel = "B",
            description = "Rows per step (default: ${DEFAULT-VALUE}).")
    Integer batchSize;
    @Option(names = "--steps", paramLabel = "N",
            description = "Optimizer steps per run (default: ${DEFAULT-VALUE}).")
    Integer steps;
    @Option(names = "--epochs", paramLabel = "N",
            description = "Passes over the training split; overrides --steps.")
    Integer epochs;
    @Option(names = "--seed", paramLabel = "SEED",
            description = "Root seed of data, split, initial weights and batch order (default: ${DEFAULT-VALUE}).")
    Long seed;

    // loss head: --paths --precision --accumulate --label-smoothing --eps (shared), --reduction (shared)
    @Mixin
    LossHeadOptions lossHead;
    @Mixin
    ReductionOption reduction;
    @Option(names = "--targets", paramLabel = "KIND",
            description = "sparse labels, or dense one-hot rows (shows separate's 0·log 0) (default: "
                    + "${DEFAULT-VALUE}).")
    String targets;
    @Option(names = "--on-nonfinite", paramLabel = "ACTION",
            description = "When a step's loss or gradient is non-finite: continue (NaN weights propagate), skip the "
                    + "update (as dynamic loss scaling does), or stop that run (default: ${DEFAULT-VALUE}).")
    String onNonfinite;

    // recording
    @Option(names = "--log-every", paramLabel = "N",
            description = "Record every N-th step (and the first, the last and the first non-finite) "
                    + "(default: ${DEFAULT-VALUE}).")
    Integer logEvery;
    @Option(names = "--eval-every", paramLabel = "N",
            description = "Evaluate on the test split every N steps and at the end (default: ${DEFAULT-VALUE}).")
    Integer evalEvery;

    @Option(names = "--fail-on", paramLabel = "COND", converter = FailOnCondition.Converter.class,
            description = "Exit 3 if the condition holds for a run (repeatable): nonfinite[:PATH], stopped[:PATH], "
                    + "or METRIC<X[:PATH] with < <= > >= == != and METRIC one of test-accuracy, test-loss, "
                    + "train-accuracy, train-loss, first-nonfinite-step, skipped, nonfinite-count. PATH is a path "
                    + "(fused) or a run (fused@fp16); none means every run.")
    List<FailOnCondition> failOn = new ArrayList<>();

    @Mixin
    ThreadsOption threads;

    @Mixin
    OutputOptions output;
    @Mixin
    ProgressOptions progress;
    @Mixin
    InputLimitsOptions limits;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        OutputFormat format = output.format(
                EnumSet.of(OutputFormat.TEXT, OutputFormat.JSON, OutputFormat.JSONL, OutputFormat.CSV));
        TrainConfig config = resolveConfig();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (printConfig) {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(config.toJson()));
            out.flush();
            return ExitCodes.OK;
        }
        for (FailOnCondition c : failOn) {
            c.checkSelector(config.paths(), config.precision());
        }
        Trainer trainer = trainer(threads.count());
        Provenance provenance = Provenance.capture(ToolVersion.get(),
                spec.commandLine().getParseResult().originalArgs(), Instant.now());
        ProgressBar bar = progress.show()
                ? new ProgressBar(err, config.paths().size() * config.precision().size(), System::nanoTime) : null;
        TrainingReport report;
        try {
            report = trainAndWrite(format, config, trainer, provenance, bar, out);
        } finally {
            if (bar != null) {
                bar.finish();
            }
        }
        return failOn(report, failOn, err);
    }

    /** Trains and writes the chosen format: jsonl streams as the runs go, the others are written at the end. */
    private TrainingReport trainAndWrite(OutputFormat format, TrainConfig config, Trainer trainer,
                                         Provenance provenance, ProgressBar bar, PrintWriter out) throws IOException {
        TrainListener progressListener = bar != null ? bar : TrainListener.NONE;
        if (format == OutputFormat.JSONL) {
            TrainingReport[] report = new TrainingReport[1];
            output.write(out, sink -> {
                TrainJsonl jsonl = new TrainJsonl(sink.bytes());
                jsonl.start(provenance, config);
                report[0] = trainer.run(config, provenance, progressListener.andThen(jsonl));
                jsonl.finish(report[0].timing());
            });
            return report[0];
        }
        TrainingReport report = trainer.run(config, provenance, progressListener);
        if (bar != null) {
            bar.finish(); // before the output, which may go to the same terminal
        }
        output.write(out, sink -> write(format, report, sink));
        return report;
    }

    /** The standard trainer on {@code threads} threads. */
    static Trainer trainer(int threads) {
        return Trainer.standard().withThreads(threads);
    }

    private static void write(OutputFormat format, TrainingReport report, OutputOptions.Sink sink)
            throws IOException {
        switch (format) {
            case JSON -> {
                Json.mapper().writerWithDefaultPrettyPrinter().writeValue(sink.bytes(), report);
                sink.bytes().write('\n');
            }
            case CSV -> TrainCsv.write(report, sink.writer());
            case TEXT -> sink.writer().write(TrainText.render(report));
            default -> throw new IllegalStateException("format " + format);
        }
    }

    /** Prints one line per condition and run that held; exit 3 if any did. */
    static int failOn(TrainingReport report, List<FailOnCondition> conditions, PrintWriter err) {
        int code = ExitCodes.OK;
        for (FailOnCondition c : conditions) {
            for (String line : c.violations(report.runs())) {
                err.println("softmaxlab: " + line);
                code = ExitCodes.CHECK_FAILED;
            }
        }
        err.flush();
        return code;
    }

    /** Defaults, then {@code --config}, then the flags the user gave. */
    TrainConfig resolveConfig() {
        ObjectNode overrides = JsonNodeFactory.instance.objectNode();
        if (configFile != null) {
            JsonNode document = readJson(configFile);
            if (document == null || document.isMissingNode()) {
                throw new InvalidInputException("--config " + configFile + " is empty: give a train report or a "
                        + "config object such as {\"lr\": 0.1}");
            }
            if (document.isObject() && document.has("schema") && !document.has("config")) {
                throw new InvalidInputException("--config " + configFile + ": a " + document.get("schema").asText()
                        + " document holds no \"config\": give a train report or a bare config object");
            }
            JsonNode fromFile = TrainConfig.configOf(document);
            if (!fromFile.isObject()) {
                throw new InvalidInputException("--config " + configFile + ": expected a JSON object (a report or "
                        + "a config such as {\"lr\": 0.1}), not " + fromFile.getNodeType().toString()
                        .toLowerCase(java.util.Locale.ROOT));
            }
            try {
                TrainConfig.resolve(fromFile); // its own errors, named as coming from the file
            } catch (InvalidInputException e) {
                throw new InvalidInputException("--config " + configFile + ": " + e.getMessage(), e);
            }
            overrides.setAll((ObjectNode) fromFile);
        }
        ObjectNode flags = flagOverrides(spec);
        if (flags.has("steps") && !flags.has("epochs")) {
            // epochs overrides steps; a --steps given here must win over epochs that came from the file
            overrides.putNull("epochs");
        }
        overrides.setAll(flags);
        return TrainConfig.resolve(overrides);
    }

    /** The user-given flags that name a config key, as a JSON object of camelCase keys. */
    static ObjectNode flagOverrides(CommandSpec spec) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        for (OptionSpec option : spec.commandLine().getParseResult().matchedOptions()) {
            String key = keyOf(option.longestName());
            if (TrainConfig.KEYS.contains(key)) {
                o.set(key, toJson(option.getValue()));
            }
        }
        return o;
    }

    /** {@code --logit-scale} -> {@code logitScale}. */
    static String keyOf(String flag) {
        String name = flag.startsWith("--") ? flag.substring(2) : flag;
        StringBuilder b = new StringBuilder();
        boolean upper = false;
        for (char c : name.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return b.toString();
    }

    private static JsonNode toJson(Object v) {
        if (v instanceof List<?> list) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            for (Object e : list) {
                a.add(toJson(e));
            }
            return a;
        }
        if (v instanceof LossPath p) {
            return JsonNodeFactory.instance.textNode(p.id());
        }
        if (v instanceof Precision p) {
            return JsonNodeFactory.instance.textNode(p.id());
        }
        if (v instanceof Reduction r) {
            return JsonNodeFactory.instance.textNode(r.id());
        }
        return Json.mapper().valueToTree(v);
    }

    static JsonNode readJson(Path file) {
        return JsonDocuments.read(file, "--config " + file);
    }

    /**
     * Shows {@link TrainConfig#DEFAULTS} in this command's own option descriptions, so the help can never disagree
     * with the defaults. Shared mixins keep their own texts.
     */
    public static final class Defaults implements IDefaultValueProvider {
        @Override
        public String defaultValue(ArgSpec arg) {
            // every option named after a config key, the shared loss-head mixin's included, shows train's default
            if (!(arg instanceof OptionSpec option)) {
                return null;
            }
            // picocli sets a negatable flag to the opposite of its default and its --no- form to the default, so a
            // default of true would make --standardize mean false; such options keep a null default (and their
            // description states it)
            if (option.negatable()) {
                return null;
            }
            String key = keyOf(option.longestName());
            if (!TrainConfig.KEYS.contains(key)) {
                return null;
            }
            JsonNode v = TrainConfig.defaultsAsJson().get(key);
            if (v == null || v.isNull()) {
                return null;
            }
            if (v.isArray()) {
                List<String> parts = new ArrayList<>();
                v.forEach(e -> parts.add(e.asText()));
                return String.join(",", parts);
            }
            return v.asText();
        }
    }
}
