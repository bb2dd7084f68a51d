package dev.softmaxlab.experiments.io;

/**
 * The one way a message shows text that came from the user (a CSV field, a label, a file's line, a spec's name):
 * quoted, cut to {@link #MAX_CHARS} characters, and with control characters escaped, so that a 100 MB field is not a
 * 100 MB stderr line, an ESC in a spec's name does not drive the terminal, and a file that is not a dataset (say
 * {@code /etc/shadow}) shows no more than a short, marked prefix of its first line.
 */
public final class UserText {

    /** How many characters of a value a message shows at most. */
    public static final int MAX_CHARS = 60;
    /** The longest message line {@link #line(String)} lets through (a safety net for values not quoted). */
    public static final int MAX_LINE_CHARS = 2000;

    private UserText() {
    }

    /**
     * {@code 'value'}, cut to {@link #MAX_CHARS} characters with "..." and the full length after it, control and
     * invisible formatting characters written as escapes ({@code \n}, {@code \u001b}).
     */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(Math.min(value.length(), MAX_CHARS) + 16).append('\'');
        int shown = 0;
        int i = 0;
        while (i < value.length() && shown < MAX_CHARS) {
            int cp = value.codePointAt(i);
            appendEscaped(b, cp);
            i += Character.charCount(cp);
            shown++;
        }
        b.append('\'');
        if (i < value.length()) {
            b.append("... (").append(value.codePointCount(0, value.length())).append(" characters)");
        }
        return b.toString();
    }

    /**
     * A whole message made safe for one terminal line: control characters escaped (a line break too, so that it
     * stays one line) and cut at {@link #MAX_LINE_CHARS}.
     */
    public static String line(String message) {
        if (message == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(message.length(), MAX_LINE_CHARS) + 32);
        int i = 0;
        while (i < message.length() && b.length() < MAX_LINE_CHARS) {
            int cp = message.codePointAt(i);
            appendEscaped(b, cp);
            i += Character.charCount(cp);
        }
        if (i < message.length()) {
            b.append("... (message cut)");
        }
        return b.toString();
    }

    /** Whether {@code cp} would act on a terminal or hide text rather than show a glyph. */
    static boolean needsEscape(int cp) {
        int type = Character.getType(cp);
        return Character.isISOControl(cp) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE
                || type == Character.UNASSIGNED && cp > 0xFFFF;
    }

    private static void appendEscaped(StringBuilder b, int cp) {
        if (!needsEscape(cp)) {
            b.appendCodePoint(cp);
            return;
        }
        switch (cp) {
            case '\n' -> b.append("\\n");
            case '\r' -> b.append("\\r");
            case '\t' -> b.append("\\t");
            default -> {
                if (cp > 0xFFFF) {
                    b.append(String.format("\\U%08x", cp));
                } else {
                    b.append(String.format("\\u%04x", cp));
                }
            }
        }
    }
}
