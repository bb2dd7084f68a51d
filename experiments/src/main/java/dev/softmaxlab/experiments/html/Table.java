package dev.softmaxlab.experiments.html;

import java.util.List;

/**
 * A summary table of a page.
 *
 * @param caption what it lists
 * @param header  column names
 * @param rows    cells as text, one list per row, as long as the header
 */
public record Table(String caption, List<String> header, List<List<String>> rows) {

    public Table {
        header = List.copyOf(header);
        rows = rows.stream().map(List::copyOf).toList();
        for (List<String> r : rows) {
            if (r.size() != header.size()) {
                throw new IllegalArgumentException("table " + caption + ": a row of " + r.size() + " cells for "
                        + header.size() + " columns");
            }
        }
    }
}
