package dev.softmaxlab.app.cli.options;

import dev.softmaxlab.app.output.Terminal;
import dev.softmaxlab.core.InvalidInputException;
import picocli.CommandLine.Option;

/**
 * {@code --progress auto|always|never} and {@code --quiet}: whether a long-running command draws a progress bar on
 * stderr. {@code auto} (the default) draws it only when stderr is a terminal, so logs and CI output stay clean.
 */
public final class ProgressOptions {

    @Option(names = "--progress", paramLabel = "WHEN",
            description = "Progress bar on stderr: auto (only when stderr is a terminal), always, never "
                    + "(default: auto).")
    String progress;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar (same as --progress never).")
    boolean quiet;

    /** Whether to draw the bar. */
    public boolean show() {
        String p = progress == null ? "auto" : progress;
        if (quiet) {
            return false;
        }
        return switch (p) {
            case "auto" -> Terminal.stderrIsTerminal();
            case "always" -> true;
            case "never" -> false;
            default -> throw new InvalidInputException("--progress '" + p + "': expected auto, always or never");
        };
    }
}
