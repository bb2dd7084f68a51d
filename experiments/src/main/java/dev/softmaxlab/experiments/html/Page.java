package dev.softmaxlab.experiments.html;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softmaxlab.experiments.chart.Chart;
import java.util.List;

/**
 * What a report page shows, top to bottom.
 *
 * @param title      the page title
 * @param source     the document it was drawn from, as given
 * @param reading    the generated reading of what the charts show, one paragraph per entry
 * @param figures    the charts, each with a caption
 * @param tables     the summary tables
 * @param config     the resolved config of the document (JSON), or null
 * @param provenance the document's provenance (JSON object), or null
 */
public record Page(String title, String source, List<String> reading, List<Figure> figures, List<Table> tables,
                   JsonNode config, JsonNode provenance) {

    public Page {
        reading = List.copyOf(reading);
        figures = List.copyOf(figures);
        tables = List.copyOf(tables);
    }

    /** A chart and the sentence under it. */
    public record Figure(Chart chart, String caption) {
    }
}
