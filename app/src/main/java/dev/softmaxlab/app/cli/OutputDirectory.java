package dev.softmaxlab.app.cli;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.report.AtomicFiles;
import dev.softmaxlab.experiments.sweep.SweepOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks a {@code -o DIR} before any work (sweep, merge, demo: the commands whose purpose is to fill a directory).
 * DIR must be a directory or not exist yet; it may be created, but its parent must exist, so that a typo in a path
 * is refused rather than silently created. DIR may be a symbolic link to a directory; a dangling link or a loop is
 * refused. Inside DIR nothing may be a symbolic link ({@link SweepOutput#checkTree}): every file the command writes
 * stays inside DIR.
 */
final class OutputDirectory {

    private OutputDirectory() {
    }

    static void check(Path dir) {
        Path resolved;
        try {
            resolved = AtomicFiles.followLinks(dir);
        } catch (IOException e) {
            throw new InvalidInputException("-o " + dir + " is a loop of symbolic links: give a directory");
        }
        if (Files.isSymbolicLink(dir) && !Files.exists(resolved)) {
            throw new InvalidInputException("-o " + dir + " is a symbolic link to " + resolved + ", which does not "
                    + "exist: create the target directory, or give another -o");
        }
        if (Files.exists(resolved) && !Files.isDirectory(resolved)) {
            throw new InvalidInputException("-o " + dir + " is a file, not a directory: give a directory (it is "
                    + "created)");
        }
        if (Files.isDirectory(resolved)) {
            SweepOutput.checkTree(resolved, "-o " + dir);
            return;
        }
        Path parent = resolved.toAbsolutePath().getParent();
        if (parent == null || Files.isDirectory(parent)) {
            return;
        }
        for (Path p = parent; p != null; p = p.getParent()) {
            if (Files.isDirectory(p)) {
                break;
            }
            if (Files.exists(p)) {
                throw new InvalidInputException("-o " + dir + ": " + p + " is a file, so the directory cannot be "
                        + "created inside it; give another directory");
            }
        }
        throw new InvalidInputException("-o " + dir + ": the directory " + parent + " does not exist: create it "
                + "first (only " + dir.getFileName() + " itself is created), or fix the path");
    }

    /** Creates the checked DIR (not its parents). */
    static void create(Path dir) throws IOException {
        Path resolved = AtomicFiles.followLinks(dir);
        if (!Files.isDirectory(resolved)) {
            Files.createDirectory(resolved);
        }
    }
}
