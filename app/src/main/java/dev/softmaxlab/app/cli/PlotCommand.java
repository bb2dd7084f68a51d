package dev.softmaxlab.app.cli;

import dev.softmaxlab.app.cli.options.VerboseOption;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.plot.Plot;
import dev.softmaxlab.experiments.plot.PlotInput;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code softmaxlab plot}: charts and a self-contained HTML page from a document the tool wrote. */
@Command(name = "plot",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        header = "Draw charts and an HTML report from a train report, a sweep directory or a probe document.",
        description = {
            "",
            "Reads a document softmaxlab wrote and draws it: every chart as SVG and PNG, and DIR/index.html, one",
            "page with every chart inline, the summary tables, the config, the provenance and a reading of what",
            "the charts show. The page loads nothing from the network.",
            "  train report (train -o FILE): training loss, logit gradient norm, numeric events, test accuracy",
            "    and the error against the fp64 fused reference, one line per path@precision;",
            "  sweep directory (sweep -o DIR): stability maps and one chart per expectation;",
            "  probe document (probe --format json): loss and events per path and precision, or with",
            "    --scale-sweep the break-point chart.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  softmaxlab plot softmaxlab-demo/report.json -o pictures",
            "  softmaxlab plot out/logit-scale -o out/logit-scale/pictures --format vega-lite",
            "",
            ExitCodes.HELP
        })
public final class PlotCommand implements Callable<Integer> {

    /** The {@code --format} value that adds Vega-Lite specs. */
    static final String VEGA_LITE = "vega-lite";

    @Parameters(paramLabel = "INPUT", description = "A train report, a sweep directory (or its summary.json), or a "
            + "probe --format json document.")
    Path input;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", required = true,
            description = "Directory for the charts and index.html (created; files in it are replaced).")
    Path dir;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "svg (default: SVG and PNG) or vega-lite (also each chart as a Vega-Lite spec, <chart>.vl.json).")
    String format;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        boolean vegaLite = vegaLite(format);
        OutputDirectory.check(dir);
        PlotInput in = PlotInput.read(input);
        List<Path> files = Plot.write(Plot.page(in), dir, vegaLite);
        PrintWriter out = spec.commandLine().getOut();
        out.println("Wrote " + files.size() + " files to " + dir + ". Open " + dir.resolve(Plot.INDEX));
        out.flush();
        return ExitCodes.OK;
    }

    static boolean vegaLite(String format) {
        if (format == null || format.equals("svg")) {
            return false;
        }
        if (format.equals(VEGA_LITE)) {
            return true;
        }
        throw new InvalidInputException("--format " + format + " is not a plot format: give svg (SVG and PNG, the "
                + "default) or vega-lite (also Vega-Lite specs)");
    }
}
