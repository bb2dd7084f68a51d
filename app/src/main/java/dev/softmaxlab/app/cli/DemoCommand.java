package dev.softmaxlab.app.cli;

import dev.softmaxlab.app.ExitCodes;
import dev.softmaxlab.app.cli.options.ProgressOptions;
import dev.softmaxlab.app.cli.options.ThreadsOption;
import dev.softmaxlab.app.cli.options.VerboseOption;
import dev.softmaxlab.app.output.ProgressBar;
import dev.softmaxlab.app.output.TrainText;
import dev.softmaxlab.experiments.report.AtomicFiles;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.report.Provenance;
import dev.softmaxlab.experiments.report.ToolVersion;
import dev.softmaxlab.experiments.report.TrainingReport;
import dev.softmaxlab.experiments.train.TrainConfig;
import dev.softmaxlab.experiments.train.TrainListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
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
                    + "DIR/report.json' reproduces it, and any train flag added there changes one thing.",
            ""
        })
public final class DemoCommand implements Callable<Integer> {

    /** The demo's settings over the defaults; the report's config holds them all. */
    static final String CONFIG = "{\"dataset\":\"digits\",\"model\":\"mlp\",\"hidden\":[64],\"logitScale\":16,"
            + "\"optimizer\":\"sgd\",\"lr\":0.05,\"batchSize\":32,\"steps\":600,\"precision\":[\"fp32\",\"fp16\"],"
            + "\"logEvery\":10,\"evalEvery\":50}";

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "softmaxlab-demo",
            description = "Directory for report.json (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Mixin
    ThreadsOption threads;

    @Mixin
    ProgressOptions progress;
    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    /** The demo's resolved config. */
    public static TrainConfig config() {
        try {
            return TrainConfig.resolve(Json.mapper().readTree(CONFIG));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TrainConfig config = config();
        OutputDirectory.check(dir);
        Provenance provenance = Provenance.capture(ToolVersion.get(),
                spec.commandLine().getParseResult().originalArgs(), Instant.now());
        ProgressBar bar = progress.show()
                ? new ProgressBar(err, config.paths().size() * config.precision().size(), System::nanoTime) : null;
        long start = System.nanoTime();
        TrainingReport report;
        try {
            report = TrainCommand.trainer(threads.count())
                    .run(config, provenance, bar != null ? bar : TrainListener.NONE);
        } finally {
            if (bar != null) {
                bar.finish();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        OutputDirectory.create(dir);
        Path file = dir.resolve("report.json");
        AtomicFiles.write(file, os -> {
            Json.mapper().writerWithDefaultPrettyPrinter().writeValue(os, report);
            os.write('\n');
        });
        out.print(TrainText.render(report));
        out.printf(java.util.Locale.ROOT, "Trained %d runs in %.1f s. Report: %s%nReproduce or vary it: "
                + "softmaxlab train --config %s [flags]%n", report.runs().size(), seconds, file, file);
        out.flush();
        return ExitCodes.OK;
    }
}
