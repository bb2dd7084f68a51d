package dev.softmaxlab.app.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softmaxlab.app.App;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the HTML reports in headless Chromium: the demo's, a bundled sweep's, a probe scale sweep's and an audit's.
 * Each must render with no console error, hold every chart (present, of non-zero size, with drawn content), fit
 * 1280 px without horizontal scrolling, and give a screenshot that is not blank. Screenshots are kept in
 * {@code app/target/browser-screenshots/} for a human to look at.
 *
 * <p>Without Chromium the test is skipped with one line saying how to install it, unless
 * {@code SOFTMAXLAB_REQUIRE_BROWSER=1} (set by {@code .ci/run}), in which case it fails: CI must run it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserReportTest {

    static final String REQUIRE = "SOFTMAXLAB_REQUIRE_BROWSER";
    static final int WIDTH = 1280;

    @TempDir
    static Path tmp;

    private HeadlessChromium chromium;
    private Path profile;

    @BeforeAll
    void startChromium() throws Exception {
        Optional<Path> exe = HeadlessChromium.find();
        if (exe.isEmpty()) {
            String how = "browser test skipped: Chromium not found on PATH; install it to run it "
                    + "(Debian/Ubuntu: sudo apt-get install chromium)";
            if ("1".equals(System.getenv(REQUIRE))) {
                fail(REQUIRE + "=1 but " + how);
            }
            System.err.println(how);
            Assumptions.abort(how);
        }
        // a new empty profile, outside @TempDir: Chromium leaves symbolic links in it that JUnit warns about
        profile = Files.createTempDirectory("softmaxlab-chromium-");
        chromium = HeadlessChromium.start(exe.get(), profile);
    }

    @AfterAll
    void stopChromium() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (profile != null) {
            // Chromium keeps its singleton socket in a directory of its own under the temp dir, linked from the profile
            Path socket = profile.resolve("SingletonSocket");
            if (Files.isSymbolicLink(socket)) {
                Path socketDir = Files.readSymbolicLink(socket).getParent();
                if (socketDir != null && socketDir.getFileName().toString().startsWith("org.chromium.Chromium.")) {
                    try (Stream<Path> all = Files.walk(socketDir)) {
                        for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                            Files.deleteIfExists(p);
                        }
                    }
                }
            }
            try (Stream<Path> all = Files.walk(profile)) {
                // deepest first; a symbolic link is deleted, never followed
                for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = App.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        assertEquals(0, code, String.join(" ", args) + ": " + err);
        return out.toString();
    }

    @Test
    void theDemoReport() throws Exception {
        Path demo = tmp.resolve("demo");
        run("demo", "-o", demo.toString(), "--quiet");
        Path pictures = tmp.resolve("demo-plot");
        run("plot", demo.resolve("report.json").toString(), "-o", pictures.toString());
        TreeSet<String> charts = check("demo-plot", pictures.resolve("index.html"), chartsIn(pictures), 5);
        // the page demo writes itself, beside its report
        check("demo", demo.resolve("report.html"), charts, 5);
    }

    @Test
    void aBundledSweepReport() throws Exception {
        Path sweep = tmp.resolve("sweep");
        run("sweep", "--builtin", "logit-scale-precision", "--smoke", "--quiet", "-o", sweep.toString());
        Path pictures = tmp.resolve("sweep-plot");
        run("plot", sweep.toString(), "-o", pictures.toString());
        TreeSet<String> charts = check("sweep-plot", pictures.resolve("index.html"), chartsIn(pictures), 2 + 17);
        // the page sweep writes itself
        check("sweep-logit-scale-precision", sweep.resolve("index.html"), charts, 2 + 17);
    }

    @Test
    void aProbeScaleSweepReport() throws Exception {
        Path doc = tmp.resolve("scale.json");
        run("probe", "--logits", "2,1,0.1", "--label", "2", "--scale-sweep", "1:1e5:41", "--format", "json",
                "-o", doc.toString());
        Path pictures = tmp.resolve("scale-plot");
        run("plot", doc.toString(), "-o", pictures.toString());
        check("probe-scale-sweep", pictures.resolve("index.html"), chartsIn(pictures), 3);
    }

    @Test
    void anAuditReport() throws Exception {
        Path logits = tmp.resolve("batch.safetensors");
        // temperature 0.1 spreads the logits tenfold: some rows break separate paths in fp16, so crosses show
        run("logits", "-o", logits.toString(), "--shape", "64,1000", "--temperature", "0.1");
        Path doc = tmp.resolve("audit.json");
        run("audit", logits.toString(), "--headroom-rows", "8", "--format", "json", "--progress", "never",
                "-o", doc.toString());
        Path pictures = tmp.resolve("audit-plot");
        run("plot", doc.toString(), "-o", pictures.toString());
        check("audit", pictures.resolve("index.html"), chartsIn(pictures), 3);
    }

    /** The ids of the charts plot wrote into {@code dir} (its .svg files). */
    private static TreeSet<String> chartsIn(Path dir) throws Exception {
        TreeSet<String> files = new TreeSet<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".svg"))
                    .forEach(n -> files.add(n.substring(0, n.length() - 4)));
        }
        return files;
    }

    /** Opens {@code page} and checks it shows exactly {@code files} (that many charts); returns them. */
    private TreeSet<String> check(String name, Path page, TreeSet<String> files, int charts) throws Exception {
        assertEquals(charts, files.size(), "charts written: " + files);
        int before = chromium.errors().size();
        chromium.open(page.toUri().toString(), WIDTH, 900);
        JsonNode found = chromium.evaluate("Array.from(document.querySelectorAll('figure.chart')).map(f => {"
                + " const s = f.querySelector('svg'); const r = s ? s.getBoundingClientRect() : {width: 0, height: 0};"
                + " return {id: f.dataset.chart, width: r.width, height: r.height,"
                + " drawn: s ? s.querySelectorAll('path, text, rect, line, polyline').length : 0}; })");
        TreeSet<String> onPage = new TreeSet<>();
        for (JsonNode f : found) {
            String id = f.path("id").asText();
            onPage.add(id);
            assertTrue(f.path("width").asDouble() > 600, id + " width " + f.path("width"));
            assertTrue(f.path("height").asDouble() > 250, id + " height " + f.path("height"));
            assertTrue(f.path("drawn").asInt() > 20, id + " has " + f.path("drawn") + " drawn elements");
        }
        assertEquals(files, onPage, "every chart written is on the page");
        JsonNode overflow = chromium.evaluate("document.documentElement.scrollWidth - window.innerWidth");
        assertTrue(overflow.asDouble() <= 0, "the page scrolls sideways at " + WIDTH + " px by " + overflow);

        byte[] png = chromium.screenshot(WIDTH);
        Path shots = Path.of("target", "browser-screenshots");
        Files.createDirectories(shots);
        Files.write(shots.resolve(name + ".png"), png);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(WIDTH, img.getWidth());
        assertTrue(inkShare(img) > 0.02, name + ": the screenshot is (nearly) blank");
        List<String> errors = new ArrayList<>(chromium.errors().subList(before, chromium.errors().size()));
        assertEquals(List.of(), errors, name + ": console errors");
        return files;
    }

    /** The share of sampled pixels that are not white. */
    private static double inkShare(BufferedImage img) {
        int ink = 0;
        int n = 0;
        for (int y = 0; y < img.getHeight(); y += 7) {
            for (int x = 0; x < img.getWidth(); x += 7) {
                n++;
                if ((img.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) {
                    ink++;
                }
            }
        }
        return (double) ink / n;
    }
}
