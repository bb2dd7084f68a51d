package dev.softmaxlab.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The architecture, read from the main sources of all three modules: which project package refers to which (by
 * import, static import or a fully qualified name in code). No package may reach itself again through others, core
 * refers to nothing of experiments or app, and experiments to nothing of app.
 */
class PackageGraphTest {

    private static final List<Path> SOURCES = List.of(Path.of("../core/src/main/java"),
            Path.of("../experiments/src/main/java"), Path.of("src/main/java"));
    /** A project type named in code: its package is the lower-case part before the first capitalised segment. */
    private static final Pattern REFERENCE = Pattern.compile("\\b(dev\\.softmaxlab(?:\\.[a-z][a-z0-9_]*)*)\\.[A-Z]");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+);");

    /** package -> the project packages it refers to (itself excluded). */
    static Map<String, Set<String>> graph() {
        Map<String, Set<String>> g = new TreeMap<>();
        for (Path root : SOURCES) {
            assertTrue(Files.isDirectory(root), "no sources at " + root.toAbsolutePath());
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String text = Files.readString(f, StandardCharsets.UTF_8);
                    Matcher pm = PACKAGE.matcher(text);
                    assertTrue(pm.find(), "no package in " + f);
                    String pkg = pm.group(1);
                    Set<String> deps = g.computeIfAbsent(pkg, k -> new TreeSet<>());
                    Matcher m = REFERENCE.matcher(stripComments(text));
                    while (m.find()) {
                        if (!m.group(1).equals(pkg)) {
                            deps.add(m.group(1));
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return g;
    }

    /** Comments may name any class (Javadoc links); only code counts. */
    private static String stripComments(String text) {
        return text.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)//.*$", "");
    }

    @Test
    void noPackageReachesItselfThroughOthers() {
        Map<String, Set<String>> g = graph();
        List<String> cycles = new ArrayList<>();
        for (String start : g.keySet()) {
            List<String> path = cycleFrom(start, start, g, new ArrayList<>(List.of(start)), new TreeSet<>());
            if (path != null) {
                cycles.add(String.join(" -> ", path));
            }
        }
        assertEquals(List.of(), cycles, "package cycles");
    }

    /** A path from {@code at} back to {@code start}, or null (depth-first). */
    private static List<String> cycleFrom(String start, String at, Map<String, Set<String>> g, List<String> path,
                                          Set<String> seen) {
        for (String next : g.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                List<String> cycle = new ArrayList<>(path);
                cycle.add(start);
                return cycle;
            }
            if (seen.add(next)) {
                path.add(next);
                List<String> found = cycleFrom(start, next, g, path, seen);
                if (found != null) {
                    return found;
                }
                path.remove(path.size() - 1);
            }
        }
        return null;
    }

    @Test
    void layersPointDownwardOnly() {
        List<String> wrong = new ArrayList<>();
        graph().forEach((pkg, deps) -> {
            for (String d : deps) {
                boolean bad = pkg.startsWith("dev.softmaxlab.core") && !d.startsWith("dev.softmaxlab.core")
                        || pkg.startsWith("dev.softmaxlab.experiments") && d.startsWith("dev.softmaxlab.app");
                if (bad) {
                    wrong.add(pkg + " -> " + d);
                }
            }
        });
        assertEquals(List.of(), wrong, "core must not refer to experiments or app, nor experiments to app");
    }

    @Test
    void theGraphIsReadFromTheSources() {
        // guards the reader itself: a known edge and a known package must be seen
        Map<String, Set<String>> g = graph();
        assertTrue(g.get("dev.softmaxlab.experiments.train").contains("dev.softmaxlab.core.loss"), g.toString());
        assertTrue(g.containsKey("dev.softmaxlab.app.cli"), g.keySet().toString());
    }
}
