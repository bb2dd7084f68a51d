package dev.softmaxlab.experiments.html;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.softmaxlab.experiments.chart.ChartRenderer;
import dev.softmaxlab.experiments.report.Json;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes a {@link Page} as one HTML file that needs nothing else: the charts are inline SVG, the style is inline, there
 * is no script, and a content security policy forbids loading anything, so the page reads the same offline, in a mail
 * attachment or years later. The SVG and PNG files beside it are linked for download, not loaded.
 */
public final class HtmlPage {

    /** Nothing may be fetched: styles and SVG are inline, and the only images allowed are data: URIs. */
    static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1a1a1a;\
            margin:0 auto;padding:16px 24px 48px;max-width:1180px;line-height:1.45}
            h1{font-size:1.6em;margin:.4em 0 .2em}h2{font-size:1.25em;margin:1.6em 0 .5em;border-bottom:1px solid #ddd}
            .source{color:#555;margin:0 0 1em}
            .reading p{margin:.4em 0}
            nav ul{columns:2;margin:.3em 0;padding-left:1.2em}
            figure.chart{margin:1.2em 0 2em;padding:0}
            figure.chart svg{display:block;width:100%;height:auto;border:1px solid #e5e5e5}
            figcaption{color:#333;margin-top:.4em;font-size:.95em}
            figcaption a{color:#0072B2}
            table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:.92em}
            caption{text-align:left;font-weight:600;padding:.3em 0}
            th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}
            th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
            .scroll{overflow-x:auto}
            pre{background:#f7f7f7;border:1px solid #e5e5e5;padding:10px;overflow-x:auto;font-size:.85em}
            """;

    private HtmlPage() {
    }

    /** The page with each chart's SVG and PNG files (beside it) linked under the chart. */
    public static String render(Page page) {
        return render(page, true);
    }

    /**
     * The page.
     *
     * @param linkFiles link each chart's {@code <id>.svg} and {@code <id>.png}; false when the page stands alone
     */
    public static String render(Page page, boolean linkFiles) {
        StringBuilder b = new StringBuilder(1 << 16);
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CSP).append("\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(page.title())).append("</title>\n<style>\n").append(STYLE)
                .append("</style>\n</head>\n<body>\n");
        b.append("<h1>").append(esc(page.title())).append("</h1>\n");
        b.append("<p class=\"source\">Drawn by softmaxlab plot from <code>").append(esc(page.source()))
                .append("</code>.</p>\n");

        b.append("<section class=\"reading\" id=\"reading\">\n<h2>What the charts show</h2>\n");
        for (String p : page.reading()) {
            b.append("<p>").append(esc(p)).append("</p>\n");
        }
        b.append("</section>\n");

        if (!page.figures().isEmpty()) {
            b.append("<nav><h2>Charts</h2><ul>\n");
            for (Page.Figure f : page.figures()) {
                b.append("<li><a href=\"#chart-").append(f.chart().id()).append("\">").append(esc(f.chart().title()))
                        .append("</a></li>\n");
            }
            b.append("</ul></nav>\n");
        }
        for (Page.Figure f : page.figures()) {
            String id = f.chart().id();
            b.append("<figure class=\"chart\" id=\"chart-").append(id).append("\" data-chart=\"").append(id)
                    .append("\">\n").append(ChartRenderer.svgElement(f.chart())).append("\n<figcaption>")
                    .append(esc(f.caption()));
            if (linkFiles) {
                b.append(" <a href=\"").append(id).append(".svg\">SVG</a> · <a href=\"").append(id)
                        .append(".png\">PNG</a>");
            }
            b.append("</figcaption>\n</figure>\n");
        }

        if (!page.tables().isEmpty()) {
            b.append("<h2>Summary</h2>\n");
        }
        for (Table t : page.tables()) {
            b.append("<div class=\"scroll\"><table>\n<caption>").append(esc(t.caption())).append("</caption>\n<tr>");
            for (String h : t.header()) {
                b.append("<th>").append(esc(h)).append("</th>");
            }
            b.append("</tr>\n");
            for (var row : t.rows()) {
                b.append("<tr>");
                for (String c : row) {
                    b.append(numeric(c) ? "<td class=\"num\">" : "<td>").append(esc(c)).append("</td>");
                }
                b.append("</tr>\n");
            }
            b.append("</table></div>\n");
        }

        if (page.provenance() != null && page.provenance().isObject()) {
            b.append("<h2>Provenance</h2>\n<table>\n");
            for (Iterator<Map.Entry<String, JsonNode>> it = page.provenance().fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = e.getValue();
                String text = v.isArray() ? String.join(" ", () -> stream(v)) : v.asText();
                b.append("<tr><th>").append(esc(e.getKey())).append("</th><td>").append(esc(text))
                        .append("</td></tr>\n");
            }
            b.append("</table>\n");
        }
        if (page.config() != null && !page.config().isNull()) {
            b.append("<h2>Config</h2>\n<pre>").append(esc(pretty(page.config()))).append("</pre>\n");
        }
        b.append("</body>\n</html>\n");
        return b.toString();
    }

    private static Iterator<CharSequence> stream(JsonNode array) {
        Iterator<JsonNode> it = array.elements();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public CharSequence next() {
                return it.next().asText();
            }
        };
    }

    private static String pretty(JsonNode n) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // a tree always serializes
        }
    }

    private static boolean numeric(String cell) {
        return cell.matches("[-+]?[0-9][0-9.,eE+\\-%]*");
    }

    /** Escapes text for HTML element content and attribute values. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
