package dev.softmaxlab.experiments.chart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.experiments.html.Page;
import dev.softmaxlab.experiments.plot.Plot;
import dev.softmaxlab.experiments.plot.PlotInput;
import dev.softmaxlab.experiments.plot.PlotTestDocuments;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same report gives the same SVG, byte for byte, and each chart's SVG is well-formed with ids of its own. */
class DeterministicSvgTest {

    @TempDir
    Path tmp;

    @Test
    void theSameReportGivesTheSameSvgBytes() throws Exception {
        Path report = PlotTestDocuments.realReport(tmp);
        // two independent reads and drawings, as two invocations of plot would do
        List<Path> first = Plot.write(Plot.page(PlotInput.read(report)), tmp.resolve("a"), true);
        List<Path> second = Plot.write(Plot.page(PlotInput.read(report)), tmp.resolve("b"), true);
        assertEquals(first.size(), second.size());
        int svgs = 0;
        for (Path a : first) {
            String name = a.getFileName().toString();
            if (name.endsWith(".svg") || name.endsWith(".html") || name.endsWith(".vl.json")) {
                assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(tmp.resolve("b").resolve(name)), name);
                svgs += name.endsWith(".svg") ? 1 : 0;
            }
        }
        assertEquals(5, svgs);
    }

    @Test
    void theSameAuditGivesTheSameSvgBytes() throws Exception {
        Path audit = PlotTestDocuments.realAudit(tmp);
        List<Path> first = Plot.write(Plot.page(PlotInput.read(audit)), tmp.resolve("audit-a"), true);
        List<Path> second = Plot.write(Plot.page(PlotInput.read(audit)), tmp.resolve("audit-b"), true);
        assertEquals(first.size(), second.size());
        int svgs = 0;
        for (Path a : first) {
            String name = a.getFileName().toString();
            if (name.endsWith(".svg") || name.endsWith(".html") || name.endsWith(".vl.json")) {
                assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(tmp.resolve("audit-b").resolve(name)),
                        name);
                svgs += name.endsWith(".svg") ? 1 : 0;
            }
        }
        assertEquals(3, svgs);
        assertWellFormed(Plot.page(PlotInput.read(audit)));
    }

    @Test
    void svgIsWellFormedAndEveryIdIsPrefixedWithItsChart() throws Exception {
        assertWellFormed(Plot.page(PlotInput.read(PlotTestDocuments.realReport(tmp))));
    }

    private static void assertWellFormed(Page page) throws Exception {
        Pattern id = Pattern.compile("\\bid=['\"]([^'\"]*)['\"]");
        for (Page.Figure f : page.figures()) {
            String svg = ChartRenderer.svgDocument(f.chart());
            DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
            Matcher m = id.matcher(svg);
            int ids = 0;
            while (m.find()) {
                assertTrue(m.group(1).startsWith(f.chart().id() + "-"), m.group(1));
                ids++;
            }
            assertTrue(ids > 0, f.chart().id());
            assertTrue(svg.contains(f.chart().title()), f.chart().id());
        }
    }

    @Test
    void pngsAreImagesOfTheChartsSize() throws Exception {
        List<Path> files = Plot.write(Plot.page(PlotInput.read(PlotTestDocuments.realReport(tmp))), tmp.resolve("p"),
                false);
        try (Stream<Path> s = files.stream()) {
            for (Path p : s.filter(x -> x.toString().endsWith(".png")).toList()) {
                var img = javax.imageio.ImageIO.read(p.toFile());
                assertEquals(ChartRenderer.WIDTH, img.getWidth(), p.toString());
                assertTrue(img.getHeight() > 400, p.toString());
            }
        }
        assertFalse(Files.exists(tmp.resolve("p").resolve("train-loss.vl.json")), "vega-lite only when asked");
    }
}
