package dev.softmaxlab.app.cli;

import dev.softmaxlab.app.cli.options.VerboseOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code softmaxlab}: lists the subcommands. Each subcommand is registered here and nowhere else. */
@Command(name = "softmaxlab",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Shows, with measured numbers, what happens when a classifier's loss is computed as softmax then "
                    + "cross-entropy (separate) versus a stable log-softmax cross-entropy from the logits (fused)."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  softmaxlab demo",
            "  softmaxlab probe --logits 1000,0,-1000 --label 2",
            "  softmaxlab probe --help",
            "  softmaxlab list",
            "  softmaxlab sweep --builtin keras-clip -o out/keras-clip",
            "  softmaxlab plot softmaxlab-demo/report.json -o pictures",
            "",
            ExitCodes.HELP_ROOT
        },
        subcommands = {
            picocli.CommandLine.HelpCommand.class,
            ProbeCommand.class,
            TrainCommand.class,
            DemoCommand.class,
            SweepCommand.class,
            ValidateCommand.class,
            ListCommand.class,
            MergeCommand.class,
            SchemaCommand.class,
            PlotCommand.class,
            AuditCommand.class,
            LogitsCommand.class,
            BenchCommand.class,
            CompletionCommand.class
        })
public final class RootCommand implements Runnable {

    @Mixin
    VerboseOption verbose;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
