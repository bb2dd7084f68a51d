package dev.softmaxlab.app.cli;

import dev.softmaxlab.app.cli.options.InputLimitsOptions;
import dev.softmaxlab.app.cli.options.VerboseOption;
import dev.softmaxlab.app.output.Terminal;
import dev.softmaxlab.experiments.plot.Plot;
import dev.softmaxlab.experiments.plot.PlotInput;
import dev.softmaxlab.experiments.spec.ExperimentSpec;
import dev.softmaxlab.experiments.sweep.Shard;
import dev.softmaxlab.experiments.sweep.Sweep;
import dev.softmaxlab.experiments.sweep.SweepListener;
import dev.softmaxlab.experiments.sweep.SweepOptions;
import dev.softmaxlab.experiments.sweep.SweepOutput;
import dev.softmaxlab.experiments.sweep.TrainerRuns;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code softmaxlab sweep}: runs every grid point of a spec and checks its expectations. */
@Command(name = "sweep",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {
            "Runs every grid point of a spec and checks its expectations.",
            "Runs every point of a spec's grid as one training invocation (all its paths and precisions), on "
                    + "several threads. Each run's report goes to DIR/runs/<id>.json, where the id is a hash of its "
                    + "resolved config; then DIR/summary.json (softmaxlab.sweep/1: configs, per-path summaries, "
                    + "failures, the expectations' verdicts) and DIR/summary.csv (one row per run × path, for pandas).",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  softmaxlab sweep --builtin logit-scale-precision -o out/logit-scale",
            "  softmaxlab sweep my-spec.json -o out --jobs 4 --resume",
            "  softmaxlab sweep my-spec.json -o out/shard-2 --shard 2/3",
            "  softmaxlab merge out/shard-1 out/shard-2 out/shard-3 -o out/all",
            "  softmaxlab sweep --builtin keras-clip -o /tmp/smoke --smoke",
            "",
            "--smoke: steps become min(steps, 60) (60 when epochs were set), logEvery and evalEvery scale with them.",
            "--shard I/N runs the grid points whose index i (grid order, from 0) has i mod N = I-1.",
            "",
            ExitCodes.HELP_SWEEP
        })
public final class SweepCommand implements Callable<Integer> {

    @Mixin
    SpecSource source;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR",
            description = "Output directory (created). Nothing is written outside it.")
    Path output;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N",
            description = "Runs at once (default: the number of cores). Results do not depend on it.")
    Integer jobs;

    @Option(names = "--shard", paramLabel = "I/N",
            description = "Run only the I-th of N disjoint parts of the grid (1 ≤ I ≤ N).")
    String shard;

    @Option(names = "--resume", description = "Skip runs whose result file in DIR/runs is already complete and valid.")
    boolean resume;

    @Option(names = "--smoke", description = "Reduced steps, for quick CI (rule below).")
    boolean smoke;

    @Option(names = {"-q", "--quiet"}, description = "No progress line.")
    boolean quiet;

    @Mixin
    InputLimitsOptions limits;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ExperimentSpec experiment = source.load();
        int cores = Runtime.getRuntime().availableProcessors();
        SweepOptions options = new SweepOptions(jobs == null ? cores : jobs,
                shard == null ? Shard.ALL : Shard.parse(shard), resume, smoke);
        OutputDirectory.check(output);
        List<String> commandLine = List.copyOf(spec.commandLine().getParseResult().originalArgs());
        // Each run may train its paths on threads of its own; share the cores between the runs at once.
        int trainerThreads = Math.max(1, cores / options.jobs());
        SweepListener listener = !quiet && Terminal.stderrIsTerminal()
                ? new SweepProgress(spec.commandLine().getErr()) : SweepListener.NONE;
        Sweep.Result result = new Sweep(TrainerRuns.standard(trainerThreads, commandLine), listener)
                .run(experiment, options, output, commandLine);
        if (!result.summary().outcomes().isEmpty()) {
            Path summary = output.resolve(SweepOutput.SUMMARY_JSON);
            Plot.writeHtml(Plot.page(new PlotInput(PlotInput.Kind.SWEEP, summary.toString(),
                    result.summary().document())), output.resolve(Plot.INDEX));
        }
        return SweepReport.print(result.summary(), output, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
