package dev.softmaxlab.experiments.plot;

import dev.softmaxlab.experiments.chart.ChartRenderer;
import dev.softmaxlab.experiments.chart.VegaLite;
import dev.softmaxlab.experiments.html.HtmlPage;
import dev.softmaxlab.experiments.html.Page;
import dev.softmaxlab.experiments.report.AtomicFiles;
import dev.softmaxlab.experiments.report.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws a document into a directory: {@code <chart>.svg} and {@code <chart>.png} for every chart,
 * {@code <chart>.vl.json} with Vega-Lite, and {@code index.html}. Everything is rendered in memory first and then
 * written file by file atomically, so a failure while drawing leaves nothing behind and a reader never sees half a file.
 */
public final class Plot {

    public static final String INDEX = "index.html";

    private Plot() {
    }

    /** The page of a document: its charts, reading, tables, config and provenance. */
    public static Page page(PlotInput in) {
        return switch (in.kind()) {
            case REPORT -> TrainCharts.page(in);
            case SWEEP -> SweepCharts.page(in);
            case PROBE -> ProbeCharts.page(in);
            case AUDIT -> AuditCharts.page(in);
        };
    }

    /**
     * Writes the page's files into {@code dir} (created if needed).
     *
     * @param vegaLite also write each chart as a Vega-Lite spec with its data inline
     * @return the files written, index.html last
     */
    public static List<Path> write(Page page, Path dir, boolean vegaLite) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Page.Figure f : page.figures()) {
            String id = f.chart().id();
            files.put(id + ".svg", ChartRenderer.svgDocument(f.chart()).getBytes(StandardCharsets.UTF_8));
            files.put(id + ".png", ChartRenderer.png(f.chart()));
            if (vegaLite) {
                files.put(id + ".vl.json", Json.mapper().writerWithDefaultPrettyPrinter()
                        .writeValueAsBytes(VegaLite.spec(f.chart())));
            }
        }
        files.put(INDEX, HtmlPage.render(page).getBytes(StandardCharsets.UTF_8));
        List<Path> written = new ArrayList<>();
        Files.createDirectories(dir); // the plot command's purpose is this directory (AtomicFiles creates none)
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path target = dir.resolve(e.getKey());
            AtomicFiles.write(target, out -> out.write(e.getValue()));
            written.add(target);
        }
        return written;
    }

    /** Writes only the self-contained page to {@code file} (train --html, demo, sweep), without chart files. */
    public static void writeHtml(Page page, Path file) throws IOException {
        byte[] html = HtmlPage.render(page, false).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(html));
    }
}
