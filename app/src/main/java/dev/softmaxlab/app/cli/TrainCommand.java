package dev.softmaxlab.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.app.cli.options.FailOnCondition;
import dev.softmaxlab.app.cli.options.ThreadsOption;
import dev.softmaxlab.app.cli.options.TrainFlags;
import dev.softmaxlab.app.cli.options.LossHeadOptions;
import dev.softmaxlab.app.cli.options.OutputOptions;
import dev.softmaxlab.app.cli.options.ProgressOptions;
import dev.softmaxlab.app.cli.options.ReductionOption;
import dev.softmaxlab.app.cli.options.InputLimitsOptions;
import dev.softmaxlab.app.cli.options.VerboseOption;
import dev.softmaxlab.app.output.OutputFormat;
import dev.softmaxlab.app.output.TrainCsv;
import dev.softmaxlab.app.output.TrainJsonl;
import dev.softmaxlab.app.output.TrainText;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.core.loss.LossPath;
import dev.softmaxlab.core.loss.Reduction;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.experiments.plot.Plot;
import dev.softmaxlab.experiments.plot.PlotInput;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.report.JsonDocuments;
import dev.softmaxlab.experiments.report.Provenance;
import dev.softmaxlab.experiments.report.TrainingReport;
import dev.softmaxlab.experiments.config.ConfigKeys;
import dev.softmaxlab.experiments.config.ConfigLayers;
import dev.softmaxlab.experiments.config.TrainConfig;
import dev.softmaxlab.experiments.train.TrainListener;
import dev.softmaxlab.experiments.train.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
        modelTransformer = TrainFlags.class,
        description = {
            "Trains the same model once per loss path and precision from identical starts, side by side.",
            "Each loss path (--paths) at each precision trains its own copy "
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
            ExitCodes.HELP_WITH_CHECKS
        })
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Start from this config: a report (its \"config\") or a bare config object. "
                    + "Flags given here override it.")
    Path configFile;

    @Option(names = "--print-config",
            description = "Print the resolved config as JSON and exit (a starting point for --config and specs).")
    boolean printConfig;

    // every other config key is a flag too, generated from the config's key table by TrainFlags

    // loss head: --paths --precision --accumulate --label-smoothing --eps (shared), --reduction (shared)
    @Mixin
    LossHeadOptions lossHead;
    @Mixin
    ReductionOption reduction;
    @Option(names = "--fail-on", paramLabel = "COND", converter = FailOnCondition.Converter.class,
            description = "Exit 3 if the condition holds for a run (repeatable): nonfinite[:PATH], stopped[:PATH], "
                    + "or METRIC<X[:PATH] with < <= > >= == != and METRIC a numeric metric of a spec's expectations "
                    + "(finalTestAccuracy, events.clipped, ...) or one of test-accuracy, test-loss, train-accuracy, "
                    + "train-loss, first-nonfinite-step, skipped, nonfinite-count. PATH is a path "
                    + "(fused) or a run (fused@fp16); none means every run.")
    List<FailOnCondition> failOn = new ArrayList<>();

    @Option(names = "--html", paramLabel = "FILE",
            description = "Also write the report's charts as one self-contained HTML page to FILE.")
    Path html;

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
            c.checkSelector(config.paths().stream().map(LossPath::id).toList(),
                    config.precision().stream().map(Precision::id).toList());
        }
        if (html != null && Files.isDirectory(html)) {
            throw new InvalidInputException("--html " + html + " is a directory: give a file name, e.g. report.html");
        }
        TrainingReport report = TrainingRunBlock.run(spec, config, threads.count(), progress.show(),
                (trainer, provenance, progressListener, progressDone) -> trainAndWrite(format, config, trainer,
                        provenance, progressListener, progressDone, out));
        if (html != null) {
            Plot.writeHtml(Plot.page(PlotInput.of(report, "softmaxlab train")), html);
        }
        return failOn(report, failOn, err);
    }

    /** Trains and writes the chosen format: jsonl streams as the runs go, the others are written at the end. */
    private TrainingReport trainAndWrite(OutputFormat format, TrainConfig config, Trainer trainer,
                                         Provenance provenance, TrainListener progressListener,
                                         Runnable progressDone, PrintWriter out) throws IOException {
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
        progressDone.run(); // before the output, which may go to the same terminal
        output.write(out, sink -> write(format, report, sink));
        return report;
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

    /** Defaults, then {@code --config}, then the flags the user gave: {@link ConfigLayers#trainConfig}. */
    TrainConfig resolveConfig() {
        JsonNode document = configFile == null ? null : readJson(configFile);
        if (configFile != null && document == null) {
            document = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        return ConfigLayers.trainConfig(document, "--config " + configFile, flagOverrides(spec));
    }

    /** The user-given flags that name a config key, as a JSON object of camelCase keys. */
    static ObjectNode flagOverrides(CommandSpec spec) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        for (OptionSpec option : spec.commandLine().getParseResult().matchedOptions()) {
            String key = keyOf(option.longestName());
            if (TrainConfig.KEYS.contains(key)) {
                Object value = option.getValue();
                o.set(key, value instanceof String text
                        ? ConfigKeys.fromText(ConfigKeys.known(key), text) : toJson(value));
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
