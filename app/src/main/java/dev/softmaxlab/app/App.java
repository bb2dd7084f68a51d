package dev.softmaxlab.app;

import dev.softmaxlab.app.cli.ExitCodes;
import dev.softmaxlab.app.cli.RootCommand;
import dev.softmaxlab.app.output.ByteSinkPrintWriter;
import dev.softmaxlab.app.output.StdoutFailure;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.io.UserText;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * Entry point and the one factory that builds the configured {@link CommandLine}, so that tests run exactly what
 * users run: {@code App.commandLine(out, err).execute(args)}.
 */
public final class App {

    private App() {
    }

    public static void main(String[] args) {
        // stdout as a byte sink too: bulk JSON Lines skip the char round trip
        ByteSinkPrintWriter out = new ByteSinkPrintWriter(new FileOutputStream(FileDescriptor.out));
        PrintWriter err = new PrintWriter(System.err, true);
        int code;
        try {
            code = commandLine(out, err).execute(args);
        } catch (OutOfMemoryError e) {
            // an Error passes picocli's handlers; still one line, not a trace
            out.flush();
            err.println("softmaxlab: " + MemoryAdvice.outOfMemory());
            code = ExitCodes.INTERNAL;
        }
        out.flush();
        StdoutFailure failure = out.failure();
        if (failure != null && !failure.isBrokenPipe() && code == ExitCodes.OK) {
            // text output goes through PrintWriter methods, which swallow the failure: report it here
            err.println("softmaxlab: " + failure.describe());
            code = ExitCodes.INTERNAL;
        }
        err.flush();
        System.exit(code);
    }

    /** Builds the command line with its exit codes and error handling, writing to the given streams. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new RootCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(false);
        cl.setExitCodeExceptionMapper(App::exitCodeOf);
        cl.setParameterExceptionHandler(App::onParameterException);
        cl.setExecutionExceptionHandler(App::onExecutionException);
        return cl;
    }

    static int exitCodeOf(Throwable t) {
        if (t instanceof CommandLine.ParameterException || isUserError(t)) {
            return ExitCodes.BAD_INPUT;
        }
        return ExitCodes.INTERNAL;
    }

    private static boolean isUserError(Throwable t) {
        return t instanceof InvalidInputException || t instanceof NoSuchFileException
                || (t instanceof UncheckedIOException u && u.getCause() instanceof NoSuchFileException);
    }

    /** A bad flag: one line naming it, plus where to find help. No usage dump. */
    private static int onParameterException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String hint = "";
        if (ex instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            hint = "; did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?";
        }
        err.println("softmaxlab: " + UserText.line(ex.getMessage()) + hint + " (see '" + cmd.getCommandSpec().qualifiedName()
                + " --help')");
        if (isVerbose(args)) {
            ex.printStackTrace(err);
        }
        return ExitCodes.BAD_INPUT;
    }

    /** A user error becomes one line and exit 2; anything else is internal (exit 1); --verbose adds the trace. */
    private static int onExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        boolean verbose = isVerbose(parseResult.originalArgs().toArray(new String[0]));
        if (isBrokenPipe(ex)) {
            // the reader stopped reading (e.g. `probe ... | head`): that is its choice, not an error of ours
            return ExitCodes.OK;
        }
        StdoutFailure stdout = causeOf(ex, StdoutFailure.class);
        if (stdout != null) {
            err.println("softmaxlab: " + stdout.describe());
            return ExitCodes.INTERNAL;
        }
        if (isUserError(ex)) {
            err.println("softmaxlab: " + UserText.line(userMessage(ex)));
            if (verbose) {
                ex.printStackTrace(err);
            }
            return ExitCodes.BAD_INPUT;
        }
        err.println("softmaxlab: internal error: " + UserText.line(String.valueOf(ex)) + (verbose ? "" : " (run with --verbose for the stack trace)"));
        if (verbose) {
            ex.printStackTrace(err);
        }
        return ExitCodes.INTERNAL;
    }

    private static <T extends Throwable> T causeOf(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static boolean isBrokenPipe(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IOException && c.getMessage() != null && c.getMessage().contains("Broken pipe")) {
                return true;
            }
        }
        return false;
    }

    private static String userMessage(Exception ex) {
        Throwable t = ex instanceof UncheckedIOException u ? u.getCause() : ex;
        if (t instanceof NoSuchFileException nsf) {
            return "file not found: " + nsf.getFile() + " (check the path)";
        }
        return t.getMessage();
    }

    private static boolean isVerbose(String[] args) {
        for (String a : args) {
            if (a.equals("--verbose") || a.equals("-v")) {
                return true;
            }
        }
        return false;
    }
}
