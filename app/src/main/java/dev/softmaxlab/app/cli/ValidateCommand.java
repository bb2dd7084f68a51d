package dev.softmaxlab.app.cli;

import dev.softmaxlab.app.cli.options.InputLimitsOptions;
import dev.softmaxlab.app.cli.options.VerboseOption;
import dev.softmaxlab.experiments.io.UserText;
import dev.softmaxlab.experiments.spec.SpecLoader;
import dev.softmaxlab.experiments.spec.SpecProblem;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code softmaxlab validate}: checks a spec without running it. */
@Command(name = "validate",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Checks a spec without running it.",
            "Checks JSON syntax (with line and column), unknown options (with the nearest "
                    + "valid one), wrong types, empty axes, zip groups of unequal length, configs the trainer would "
                    + "refuse, duplicate grid points, and expectations that cannot hold (unknown metric, a comparison "
                    + "on a text metric, a where that matches no run). Each problem is one line with its JSON path.",
            ""
        },
        footer = {"", ExitCodes.HELP_VALIDATE})
public final class ValidateCommand implements Callable<Integer> {

    @Mixin
    SpecSource source;

    @Mixin
    InputLimitsOptions limits;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SpecLoader.Result r = SpecLoader.check(source.text());
        PrintWriter out = spec.commandLine().getOut();
        if (r.ok()) {
            out.println(source.label() + ": ok, spec " + UserText.quote(r.spec().name()) + ", " + r.spec().grid().size() + " run"
                    + (r.spec().grid().size() == 1 ? "" : "s") + ", " + r.spec().expect().size() + " expectation"
                    + (r.spec().expect().size() == 1 ? "" : "s"));
            return ExitCodes.OK;
        }
        PrintWriter err = spec.commandLine().getErr();
        for (SpecProblem p : r.problems()) {
            err.println("softmaxlab: " + UserText.line(source.label() + ": " + p));
        }
        return ExitCodes.BAD_INPUT;
    }
}
