package dev.softmaxlab.app.cli;

import dev.softmaxlab.app.App;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line exactly as users do, capturing the exit code, stdout and stderr. */
record CliRun(int code, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = App.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
