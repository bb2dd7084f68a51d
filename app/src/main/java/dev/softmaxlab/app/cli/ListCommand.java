package dev.softmaxlab.app.cli;

import dev.softmaxlab.app.cli.options.VerboseOption;
import dev.softmaxlab.app.output.TextTable;
import dev.softmaxlab.experiments.spec.BundledSpecs;
import dev.softmaxlab.experiments.spec.ExperimentSpec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code softmaxlab list}: the bundled experiments and the question each answers. */
@Command(name = "list",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"Lists the bundled experiments and the question each answers.",
            "Shows each bundled spec's name, its number of runs and its question. "
                + "Run one with 'softmaxlab sweep --builtin NAME -o DIR'.", ""})
public final class ListCommand implements Callable<Integer> {

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        TextTable t = new TextTable(TextTable.left("name"), TextTable.right("runs"), TextTable.left("question"));
        for (String name : BundledSpecs.names()) {
            ExperimentSpec s = BundledSpecs.load(name);
            t.row(name, Integer.toString(s.grid().size()), question(s.description()));
        }
        spec.commandLine().getOut().print(t.render());
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The description's first sentence: by convention, the question the experiment answers. */
    static String question(String description) {
        int end = description.indexOf("? ");
        if (end < 0) {
            end = description.indexOf(". ");
        }
        return end < 0 ? description : description.substring(0, end + 1);
    }
}
