package dev.softmaxlab.experiments.plot;

import java.io.IOException;
import java.nio.file.Path;

/** Test documents for tests outside this package. */
public final class PlotTestDocuments {

    private PlotTestDocuments() {
    }

    /** A real train report (a small run in which some paths go non-finite), written to {@code dir}. */
    public static Path realReport(Path dir) throws IOException {
        return Reports.write(dir, "report.json", Reports.real());
    }
}
