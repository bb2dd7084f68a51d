package dev.softmaxlab.experiments.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.experiments.plot.Plot;
import dev.softmaxlab.experiments.plot.PlotInput;
import dev.softmaxlab.experiments.plot.PlotTestDocuments;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page is one file that loads nothing: every chart inline, no script, a policy that forbids fetching. */
class HtmlPageTest {

    @TempDir
    Path tmp;

    private String html() throws Exception {
        return HtmlPage.render(Plot.page(PlotInput.read(PlotTestDocuments.realReport(tmp))));
    }

    @Test
    void everyChartIsInlineSvg() throws Exception {
        String html = html();
        Matcher m = Pattern.compile("<figure class=\"chart\" id=\"chart-([a-z0-9-]+)\"[^>]*>\\s*<svg ").matcher(html);
        int n = 0;
        while (m.find()) {
            n++;
        }
        assertEquals(5, n);
    }

    @Test
    void itLoadsNothingFromAnywhere() throws Exception {
        String html = html();
        assertTrue(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'"), html);
        assertFalse(html.contains("<script"));
        assertFalse(html.contains("<link"));
        assertFalse(Pattern.compile("\\ssrc=").matcher(html).find());
        // url() only for the SVG's own clip paths (#id), never a file or a server
        assertFalse(Pattern.compile("url\\((?!#)").matcher(html).find(), "no url() but to #ids");
        // the only absolute URLs are XML namespace names (xmlns="..."), which are never fetched
        Matcher urls = Pattern.compile("(\\S*)=[\"'](https?://[^\"' ]+)").matcher(html);
        int n = 0;
        while (urls.find()) {
            assertTrue(urls.group(1).startsWith("xmlns"), urls.group());
            n++;
        }
        assertEquals(n, html.split("https?://", -1).length - 1, "every URL is an attribute value");
    }

    @Test
    void itHoldsTheReadingTheSummaryTheProvenanceAndTheConfig() throws Exception {
        String html = html();
        assertTrue(html.contains("What the charts show"));
        assertTrue(html.contains("<caption>Runs: the end state"));
        assertTrue(html.contains("<h2>Provenance</h2>"));
        assertTrue(html.contains("&quot;logitScale&quot; : 60.0"), "the resolved config");
    }

    @Test
    void textIsEscaped() {
        assertEquals("a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;", HtmlPage.esc("a <b> & \"c\" 'd'"));
    }
}
