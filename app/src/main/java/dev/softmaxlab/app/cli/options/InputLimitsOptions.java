package dev.softmaxlab.app.cli.options;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.io.InputLimits;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --max-file-size} and {@code --max-line-size}: the limits of {@link InputLimits}, on every command that
 * reads input. picocli calls the setters with the default when a flag is not given, so every command starts from the
 * limits it was given or the defaults, never from those of an earlier command in the same JVM.
 */
public final class InputLimitsOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    private long fileBytes = InputLimits.DEFAULTS.maxFileBytes();
    private int lineChars = InputLimits.DEFAULTS.maxLineChars();

    @Option(names = InputLimits.FILE_FLAG, order = 80, paramLabel = "SIZE", defaultValue = "256m",
            description = "Refuse a file (CSV dataset, spec, config, sweep file) larger than SIZE, e.g. 512m, 2g "
                    + "(default: ${DEFAULT-VALUE}).")
    void fileSize(String size) {
        fileBytes = parse(size, InputLimits.FILE_FLAG);
        InputLimits.use(new InputLimits(fileBytes, lineChars));
    }

    @Option(names = InputLimits.LINE_FLAG, order = 81, paramLabel = "SIZE", defaultValue = "64m",
            description = "Refuse a JSON Lines line or a CSV field longer than SIZE characters (default: "
                    + "${DEFAULT-VALUE}).")
    void lineSize(String size) {
        long n = parse(size, InputLimits.LINE_FLAG);
        if (n > Integer.MAX_VALUE - 16) {
            throw new ParameterException(spec.commandLine(), InputLimits.LINE_FLAG + " " + size + " is beyond what "
                    + "one line can hold in memory: give at most 2047m");
        }
        lineChars = (int) n;
        InputLimits.use(new InputLimits(fileBytes, lineChars));
    }

    private long parse(String size, String flag) {
        try {
            return InputLimits.parseSize(size, flag);
        } catch (InvalidInputException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
