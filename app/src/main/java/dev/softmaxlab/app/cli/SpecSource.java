package dev.softmaxlab.app.cli;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.io.BoundedInput;
import dev.softmaxlab.experiments.spec.BundledSpecs;
import dev.softmaxlab.experiments.spec.ExperimentSpec;
import dev.softmaxlab.experiments.spec.SpecLoader;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The spec a command works on: a file ({@code SPEC}) or a bundled one ({@code --builtin NAME}), exactly one. */
final class SpecSource {

    @Parameters(arity = "0..1", paramLabel = "SPEC", description = "A spec file (softmaxlab.spec/1).")
    Path file;

    @Option(names = "--builtin", paramLabel = "NAME",
            description = "A bundled spec instead of a file ('softmaxlab list' shows them).")
    String builtin;

    /** What the spec is called in messages. */
    String label() {
        return file != null ? file.toString() : "builtin:" + builtin;
    }

    /** The spec's text. */
    String text() throws IOException {
        check();
        return file != null ? BoundedInput.readText(file, "spec " + file) : BundledSpecs.text(builtin);
    }

    ExperimentSpec load() throws IOException {
        return SpecLoader.parse(text(), label());
    }

    private void check() {
        if ((file == null) == (builtin == null)) {
            throw new InvalidInputException(file == null
                    ? "no spec: give a spec file, or --builtin NAME ('softmaxlab list' shows the bundled ones)"
                    : "give a spec file or --builtin NAME, not both");
        }
    }
}
