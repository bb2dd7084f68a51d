package dev.softmaxlab.app.output;

import java.io.IOException;

/** Standard output could not be written: the disk is full, stdout is closed, or its reader went away. */
public final class StdoutFailure extends IOException {

    private static final long serialVersionUID = 1L;

    public StdoutFailure(IOException cause) {
        super(cause.getMessage(), cause);
    }

    /** Whether the reader went away (as {@code | head} does): its choice, not an error. */
    public boolean isBrokenPipe() {
        return getMessage() != null && getMessage().contains("Broken pipe");
    }

    /** One line for stderr. */
    public String describe() {
        String reason = getMessage() == null ? "an I/O error" : getMessage();
        String hint = reason.contains("Bad file descriptor") ? " (is stdout closed?)"
                : reason.contains("No space left") ? " (the disk or device is full)" : "";
        return "cannot write to standard output: " + reason + hint + "; give -o FILE to write a file instead";
    }
}
