package dev.softmaxlab.app.cli;

import dev.softmaxlab.core.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks a {@code -o DIR} before any work: it must be a directory or not exist yet. */
final class OutputDirectory {

    private OutputDirectory() {
    }

    static void check(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new InvalidInputException("-o " + dir + " is a file, not a directory: give a directory (it is created)");
        }
    }
}
