package dev.softmaxlab.app.cli;

import dev.softmaxlab.core.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks a {@code -o DIR} before any work: it must be a directory or not exist yet, and no file may stand where one
 * of the directories to create would go (the sweep would otherwise fail only when it writes, as an internal error).
 */
final class OutputDirectory {

    private OutputDirectory() {
    }

    static void check(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new InvalidInputException("-o " + dir + " is a file, not a directory: give a directory (it is created)");
        }
        for (Path p = dir.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p)) {
                return;
            }
            if (Files.exists(p)) {
                throw new InvalidInputException("-o " + dir + ": " + p + " is a file, so the directory cannot be "
                        + "created inside it; give another directory");
            }
        }
    }
}
