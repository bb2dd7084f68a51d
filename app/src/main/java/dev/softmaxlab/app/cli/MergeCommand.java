package dev.softmaxlab.app.cli;

import dev.softmaxlab.app.cli.options.InputLimitsOptions;
import dev.softmaxlab.app.cli.options.VerboseOption;
import dev.softmaxlab.experiments.sweep.SweepMerge;
import dev.softmaxlab.experiments.sweep.SweepSummary;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code softmaxlab merge}: the shards of a sweep, combined into one summary. */
@Command(name = "merge",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {
            "Combines the outputs of a sharded sweep into one summary.",
            "Combines the output directories of 'sweep --shard I/N' runs into the summary the unsharded sweep writes "
                    + "(timings aside), copies their result files, and checks the expectations over all runs. "
                    + "Refuses directories of different specs, a mix of --smoke and full runs, and missing shards.",
            ""
        },
        footerHeading = "%nExample:%n",
        footer = {
            "  softmaxlab merge out/shard-1 out/shard-2 out/shard-3 -o out/all",
            "",
            ExitCodes.HELP_SWEEP
        })
public final class MergeCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Sweep output directories (one per shard).")
    List<Path> inputs;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Output directory.")
    Path output;

    @Mixin
    InputLimitsOptions limits;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        OutputDirectory.check(output);
        List<String> commandLine = List.copyOf(spec.commandLine().getParseResult().originalArgs());
        SweepSummary summary = SweepMerge.merge(inputs, output, commandLine);
        return SweepReport.print(summary, output, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
