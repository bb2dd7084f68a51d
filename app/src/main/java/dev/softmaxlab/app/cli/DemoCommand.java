package dev.softmaxlab.app.cli;

import dev.softmaxlab.app.cli.options.ProgressOptions;
import dev.softmaxlab.app.cli.options.ThreadsOption;
import dev.softmaxlab.app.cli.options.VerboseOption;
import dev.softmaxlab.app.output.TrainText;
import dev.softmaxlab.experiments.plot.Plot;
import dev.softmaxlab.experiments.plot.PlotInput;
import dev.softmaxlab.experiments.report.AtomicFiles;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.report.TrainingReport;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.config.Presets;
import dev.softmaxlab.experiments.config.TrainConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code softmaxlab demo}: the flagship comparison with no arguments. It prints the side-by-side table and a reading
 * generated from the numbers, and writes the full report (which {@code train --config} reproduces).
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {
            "The flagship comparison: what each loss path does to training, in fp32 and fp16 (no arguments).",
            "Trains an MLP on the bundled handwritten digits with an aggressive logit scale, once per loss path in "
                    + "fp32 and in fp16, from identical starts on identical batches, and shows side by side what each "
                    + "path did. Writes the report to DIR/report.json; 'softmaxlab train --config "
                    + "DIR/report.json' reproduces it, and any train flag added there changes one thing. The settings "
                    + "are a bundled config file: --print-config shows it, and 'softmaxlab train --config FILE' takes "
                    + "a copy of it.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  softmaxlab demo",
            "  softmaxlab demo --format json -o /tmp/demo | jq '.runs[].summary.finalTestAccuracy'",
            "  softmaxlab demo --print-config > demo.json && softmaxlab train --config demo.json --lr 0.1",
            "",
            ExitCodes.HELP
        })
public final class DemoCommand implements Callable<Integer> {

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "softmaxlab-demo",
            description = "Directory for report.json and report.html, its charts (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "What goes to stdout: text (the table and a reading) or json (the report, for scripts) "
                    + "(default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--print-config",
            description = "Print the demo's bundled config file and exit (a starting point for train --config).")
    boolean printConfig;

    @Mixin
    ThreadsOption threads;

    @Mixin
    ProgressOptions progress;
    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    /** The demo's resolved config: its bundled preset over the defaults. */
    public static TrainConfig config() {
        return Presets.config(Presets.DEMO);
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (!format.equals("text") && !format.equals("json")) {
            throw new InvalidInputException("--format " + format + " is not offered here: expected one of text, json");
        }
        if (printConfig) {
            out.print(Presets.text(Presets.DEMO));
            out.flush();
            return ExitCodes.OK;
        }
        TrainConfig config = config();
        OutputDirectory.check(dir);
        long start = System.nanoTime();
        TrainingReport report = TrainingRunBlock.run(spec, config, threads.count(), progress.show(),
                (trainer, provenance, listener, done) -> trainer.run(config, provenance, listener));
        double seconds = (System.nanoTime() - start) / 1e9;
        OutputDirectory.create(dir);
        Path file = dir.resolve("report.json");
        AtomicFiles.write(file, os -> {
            Json.mapper().writerWithDefaultPrettyPrinter().writeValue(os, report);
            os.write('\n');
        });
        Path html = dir.resolve("report.html");
        Plot.writeHtml(Plot.page(PlotInput.of(report, file.toString())), html);
        if (format.equals("json")) {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
        } else {
            out.print(TrainText.render(report));
            out.printf(java.util.Locale.ROOT, "Trained %d runs in %.1f s. Report: %s%nReproduce or vary it: "
                    + "softmaxlab train --config %s [flags]%n", report.runs().size(), seconds, file, file);
            out.println("Charts: " + html + " (open it in a browser)");
        }
        out.flush();
        return ExitCodes.OK;
    }
}
