package dev.softmaxlab.experiments.checks;

import dev.softmaxlab.core.InvalidInputException;

/**
 * A bad setting, knowing which key it is about (and which element of a list key, when one element is wrong), so a
 * spec can locate it at its own JSON path ({@code $.base.paths[1]}) rather than at the grid point that used it.
 */
public final class SettingException extends InvalidInputException {

    private final String key;
    private final int element;

    /** @param element the index of the wrong element of a list key, or -1 */
    public SettingException(String key, int element, String message, Throwable cause) {
        super(message, cause);
        this.key = key;
        this.element = element;
    }

    public SettingException(String key, String message) {
        this(key, -1, message, null);
    }

    /** The config key the message is about. */
    public String key() {
        return key;
    }

    /** The index of the wrong element of a list key, or -1 for the value as a whole. */
    public int element() {
        return element;
    }
}
