package dev.softmaxlab.app.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Is stderr a terminal? Java has no isatty: {@code System.console()} only says that stdin and stdout are (so it is
 * non-null for {@code train 2>log}, and null for {@code train > report.json} even though stderr is still a terminal).
 * On Linux the answer is where file descriptor 2 points ({@code /proc/self/fd/2} -> {@code /dev/pts/N} or
 * {@code /dev/ttyN}); elsewhere we fall back to {@code System.console() != null}. {@code TERM=dumb} means no. The
 * launcher script, whose pipe hides the answer, passes it as {@code -Dsoftmaxlab.stderrIsTerminal}.
 */
public final class Terminal {

    private Terminal() {
    }

    public static boolean stderrIsTerminal() {
        // the softmaxlab launcher filters stderr through a pipe and says what the user's stderr is
        String told = System.getProperty("softmaxlab.stderrIsTerminal");
        if (told != null) {
            return Boolean.parseBoolean(told);
        }
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        Path fd = Path.of("/proc/self/fd/2");
        if (Files.exists(fd, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try {
                String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                return false;
            }
        }
        return System.console() != null;
    }
}
