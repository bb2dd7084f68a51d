package dev.softmaxlab.core;

/**
 * A user's input is invalid: a label out of range, a target that is not a distribution, an unknown id, ...
 * The message is one line that names the field, the value and the fix; the command line turns it into exit code 2.
 * Thrown only for input a user can correct, never for an internal fault.
 */
public class InvalidInputException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
