package dev.softmaxlab.app.cli;

import dev.softmaxlab.app.output.ProgressBar;
import dev.softmaxlab.experiments.config.TrainConfig;
import dev.softmaxlab.experiments.report.Provenance;
import dev.softmaxlab.experiments.report.ToolVersion;
import dev.softmaxlab.experiments.report.TrainingReport;
import dev.softmaxlab.experiments.train.TrainListener;
import dev.softmaxlab.experiments.train.Trainer;
import java.io.IOException;
import java.time.Instant;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What {@code train} and {@code demo} share around a training: the provenance of this invocation, the progress bar
 * on stderr (cleared before any output, and again at the end whatever happens), and the trainer on the chosen number
 * of threads. The command supplies only what it does with them.
 */
final class TrainingRunBlock {

    /** A command's use of the trainer. */
    interface Body {
        /**
         * @param progress     hears the runs (the bar, or nothing)
         * @param progressDone clears the bar; call it before writing to a terminal
         */
        TrainingReport run(Trainer trainer, Provenance provenance, TrainListener progress, Runnable progressDone)
                throws IOException;
    }

    private TrainingRunBlock() {
    }

    static TrainingReport run(CommandSpec spec, TrainConfig config, int threads, boolean showProgress, Body body)
            throws IOException {
        Provenance provenance = Provenance.capture(ToolVersion.get(),
                spec.commandLine().getParseResult().originalArgs(), Instant.now());
        ProgressBar bar = showProgress ? new ProgressBar(spec.commandLine().getErr(),
                config.paths().size() * config.precision().size(), System::nanoTime) : null;
        Runnable done = bar != null ? bar::finish : () -> { };
        try {
            return body.run(Trainer.standard().withThreads(threads), provenance,
                    bar != null ? bar : TrainListener.NONE, done);
        } finally {
            done.run();
        }
    }
}
