package dev.softmaxlab.app.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.app.cli.options.OutputOptions;
import dev.softmaxlab.app.cli.options.VerboseOption;
import dev.softmaxlab.app.output.OutputFormat;
import dev.softmaxlab.app.output.TextTable;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.report.ToolInfo;
import dev.softmaxlab.experiments.spec.BundledSpecs;
import dev.softmaxlab.experiments.spec.ExperimentSpec;
import java.io.IOException;
import java.util.EnumSet;
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
    OutputOptions output;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    /** The schema id and version of {@code list --format json}. */
    static final String SCHEMA = "softmaxlab.list/1";

    @Override
    public Integer call() throws IOException {
        OutputFormat format = output.format(EnumSet.of(OutputFormat.TEXT, OutputFormat.JSON));
        if (format == OutputFormat.JSON) {
            ObjectNode doc = JsonNodeFactory.instance.objectNode();
            doc.put("schema", SCHEMA);
            doc.set("tool", Json.mapper().valueToTree(ToolInfo.current()));
            ArrayNode experiments = doc.putArray("experiments");
            for (String name : BundledSpecs.names()) {
                ExperimentSpec s = BundledSpecs.load(name);
                experiments.addObject().put("name", name).put("runs", s.grid().size())
                        .put("question", question(s.description())).put("description", s.description());
            }
            output.write(spec.commandLine().getOut(), sink -> {
                Json.mapper().writerWithDefaultPrettyPrinter().writeValue(sink.writer(), doc);
                sink.writer().write('\n');
            });
            return ExitCodes.OK;
        }
        TextTable t = new TextTable(TextTable.left("name"), TextTable.right("runs"), TextTable.left("question"));
        for (String name : BundledSpecs.names()) {
            ExperimentSpec s = BundledSpecs.load(name);
            t.row(name, Integer.toString(s.grid().size()), question(s.description()));
        }
        output.write(spec.commandLine().getOut(), sink -> sink.writer().write(t.render()));
        return ExitCodes.OK;
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
