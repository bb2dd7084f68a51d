package dev.softmaxlab.app.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher script (src/main/launcher/softmaxlab, copied to app/target by the build) with a stand-in for java
 * under a fake JAVA_HOME: it must use $JAVA_HOME, pass the incubator module, the arguments, stdin and stdout
 * through, drop exactly the incubator warning from stderr and keep every other stderr line, and return the JVM's
 * exit code. (That the real jar gives byte-identical output through the launcher and through plain java -jar is
 * checked by .ci/run, after the build has made both.)
 */
class LauncherScriptTest {

    private static final Path SCRIPT = Path.of("src/main/launcher/softmaxlab");

    private record Run(int code, String out, String err) {
    }

    private static Run run(Path dir, String javaBody, String stdin, String... args) throws IOException,
            InterruptedException {
        Path home = dir.resolve("jdk");
        Files.createDirectories(home.resolve("bin"));
        Path java = home.resolve("bin/java");
        Files.writeString(java, "#!/usr/bin/env bash\n" + javaBody);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path launcher = dir.resolve("softmaxlab");
        Files.copy(SCRIPT, launcher);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> command = new java.util.ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("JAVA_HOME", home.toString());
        pb.environment().remove("JAVA_OPTS");
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        int code = p.waitFor();
        return new Run(code, Files.readString(out), Files.readString(err));
    }

    @Test
    void runsTheJarBesideItWithTheVectorModuleAndDropsOnlyTheIncubatorWarning(@TempDir Path dir) throws Exception {
        Run r = run(dir, """
                echo 'WARNING: Using incubator modules: jdk.incubator.vector' >&2
                printf '%s\\n' "$@"
                cat
                echo 'softmaxlab: a real error line' >&2
                printf 'a progress line without its end' >&2
                exit 7
                """, "from stdin\n", "probe", "--logits", "1,2 3");
        assertEquals(7, r.code());
        List<String> lines = r.out().lines().toList();
        assertEquals("--add-modules", lines.get(0));
        assertEquals("jdk.incubator.vector", lines.get(1));
        assertEquals("-Dsoftmaxlab.stderrIsTerminal=false", lines.get(2));
        assertEquals("-jar", lines.get(3));
        assertEquals(dir.resolve("softmaxlab.jar").toString(), lines.get(4));
        assertEquals(List.of("probe", "--logits", "1,2 3", "from stdin"), lines.subList(5, 9));
        assertEquals("softmaxlab: a real error line\na progress line without its end", r.err());
    }

    @Test
    void anyOtherFirstStderrLineIsKept(@TempDir Path dir) throws Exception {
        Run r = run(dir, """
                echo 'Error: Unable to access jarfile' >&2
                exit 1
                """, "");
        assertEquals(1, r.code());
        assertEquals("Error: Unable to access jarfile\n", r.err());
        assertTrue(r.out().isEmpty());
    }
}
