package dev.softmaxlab.app.cli.options;

import picocli.CommandLine.Option;

/**
 * {@code --verbose}: show stack traces with errors. The flag is read by {@link dev.softmaxlab.app.App}'s error
 * handlers from the arguments, so no static state is needed.
 */
public final class VerboseOption {

    @Option(names = {"-v", "--verbose"}, order = 90, description = "Show stack traces with errors.")
    boolean verbose;

    public boolean verbose() {
        return verbose;
    }
}
