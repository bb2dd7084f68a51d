package dev.softmaxlab.app.cli.options;

import picocli.CommandLine.Option;

/**
 * {@code --verbose}: show stack traces with errors (and, in probe, which kernels run). The flag is read by {@link dev.softmaxlab.app.App}'s error
 * handlers from the arguments, so no static state is needed.
 */
public final class VerboseOption {

    @Option(names = {"-v", "--verbose"}, order = 90, description = "Show stack traces with errors, and which kernels run (scalar or vector).")
    boolean verbose;

    public boolean verbose() {
        return verbose;
    }
}
