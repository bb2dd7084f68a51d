package dev.softmaxlab.experiments.spec;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.names.NearestName;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The specs shipped with the tool: the files of {@code experiments/specs/}, packaged by the build as classpath
 * resources (one copy). A bundled spec's name is its file name without {@code .json}.
 */
public final class BundledSpecs {

    private static final String DIR = "/dev/softmaxlab/experiments/specs/";

    private BundledSpecs() {
    }

    /** The names of the bundled specs, sorted. */
    public static List<String> names() {
        URL url = BundledSpecs.class.getResource(DIR);
        if (url == null) {
            throw new IllegalStateException("the bundled specs are missing from the build (" + DIR + ")");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem fs = jarFileSystem(uri)) {
                    return list(fs.getPath(DIR));
                }
            }
            return list(Path.of(uri));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text of the bundled spec {@code name}; an unknown name is a user error that lists the known ones. */
    public static String text(String name) {
        List<String> names = names();
        if (!names.contains(name)) {
            throw new InvalidInputException("no bundled spec '" + name + "'" + NearestName.hint(name, names)
                    + "; 'softmaxlab list' shows them: " + String.join(", ", names));
        }
        try (InputStream in = BundledSpecs.class.getResourceAsStream(DIR + name + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bundled spec {@code name}, loaded. */
    public static ExperimentSpec load(String name) {
        return SpecLoader.parse(text(name), "builtin:" + name);
    }

    private static FileSystem jarFileSystem(URI uri) throws IOException {
        try {
            return FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException e) {
            // Another caller holds it open; a fresh one on the same jar file is independent of it.
            String jar = uri.getSchemeSpecificPart();
            return FileSystems.newFileSystem(Path.of(URI.create(jar.substring(0, jar.indexOf("!/")))));
        }
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - ".json".length()))
                    .sorted()
                    .toList();
        }
    }
}
