package dev.softmaxlab.app.cli.options;

import dev.softmaxlab.core.InvalidInputException;
import picocli.CommandLine.Option;

/** {@code --threads N}: how many workers a command uses. Results never depend on it; only the wall time does. */
public final class ThreadsOption {

    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads (default: the number of processors). Results do not depend on it.")
    Integer threads;

    /**
     * The thread count: {@code --threads}, or one per processor.
     *
     * @throws InvalidInputException when it is below 1
     */
    public int count() {
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (n < 1) {
            throw new InvalidInputException("--threads " + n + ": must be at least 1");
        }
        return n;
    }
}
