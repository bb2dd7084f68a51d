package dev.softmaxlab.app.cli;

import dev.softmaxlab.app.cli.options.VerboseOption;
import dev.softmaxlab.experiments.schema.Schemas;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code softmaxlab schema}: the JSON Schema of a document the tool reads or writes. */
@Command(name = "schema",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"Prints the JSON Schema of a document the tool reads or writes.",
            "Prints the JSON Schema (draft 2020-12) of a document: spec (softmaxlab.spec/1), report "
                + "(softmaxlab.report/1, what train writes), sweep (softmaxlab.sweep/1, a sweep's summary.json) or "
                + "probe (softmaxlab.probe/1).", ""},
        footer = {"", "Example:", "  softmaxlab schema spec > spec.schema.json"})
public final class SchemaCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DOCUMENT", completionCandidates = Documents.class,
            description = "One of: ${COMPLETION-CANDIDATES}.")
    String document;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    /** The document names, for help and completion. */
    static final class Documents implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Schemas.DOCUMENTS.iterator();
        }
    }

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(Schemas.text(document));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
