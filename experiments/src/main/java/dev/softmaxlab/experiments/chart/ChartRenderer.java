package dev.softmaxlab.experiments.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * Draws a {@link Chart} with JFreeChart, as SVG (through JFreeSVG) and as PNG. The SVG is a function of the chart
 * alone: element ids are prefixed with the chart's id (never the default time-based prefix), numbers are formatted
 * in the root locale, so the same chart gives the same bytes on the same machine (text layout depends on the fonts
 * installed). Each chart's ids are its own, so several charts can sit inline in one page.
 */
public final class ChartRenderer {

    static {
        // charts are drawn off screen: never ask for a display
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        // JFreeChart draws rotated text (vertical axis labels) as glyph outlines by default, an old JDK workaround:
        // in SVG that is 15 kB of path per label and text no one can search or select. Draw it as text.
        org.jfree.chart.text.TextUtils.setUseDrawRotatedStringWorkaround(false);
    }

    /** Width of every chart in px: fills a 1280 px page with margins. */
    public static final int WIDTH = 1000;
    private static final int LINE_HEIGHT = 560;

    private static final String FONT = "SansSerif";
    private static final Font TITLE = new Font(FONT, Font.BOLD, 18);
    private static final Font SUBTITLE = new Font(FONT, Font.PLAIN, 13);
    private static final Font AXIS_LABEL = new Font(FONT, Font.PLAIN, 14);
    private static final Font TICK = new Font(FONT, Font.PLAIN, 12);
    private static final Font LEGEND = new Font(FONT, Font.PLAIN, 13);
    private static final Font NOTE = new Font(FONT, Font.ITALIC, 12);
    private static final Font CELL = new Font(FONT, Font.PLAIN, 12);
    private static final Color GRID = new Color(0xDDDDDD);

    private ChartRenderer() {
    }

    /** A chart drawn at its size. */
    private record Drawing(JFreeChart chart, int width, int height) {
    }

    /** The SVG document (an XML file of its own). */
    public static String svgDocument(Chart c) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svgElement(c) + "\n";
    }

    /** The {@code <svg>} element, scalable to its container's width, with ids prefixed by the chart id. */
    public static String svgElement(Chart c) {
        Drawing d = draw(c);
        SVGGraphics2D g = new SVGGraphics2D(d.width(), d.height());
        g.setDefsKeyPrefix(c.id() + "-");
        // coordinates to 1/100 px: the drawing cannot show more, and the file is a third of the size
        g.setGeomDoubleConverter(ChartRenderer::centiPixels);
        g.setTransformDoubleConverter(ChartRenderer::centiPixels);
        d.chart().draw(g, new Rectangle2D.Double(0, 0, d.width(), d.height()));
        return g.getSVGElement(c.id() + "-svg", true, new ViewBox(0, 0, d.width(), d.height()), null, null);
    }

    /** {@code v} rounded to 2 decimals, without trailing zeros, the same in every locale: 12.5, -3, 0.07. */
    static String centiPixels(double v) {
        long r = Math.round(v * 100);
        if (r == 0) {
            return "0";
        }
        String sign = r < 0 ? "-" : "";
        long a = Math.abs(r);
        long whole = a / 100;
        long frac = a % 100;
        if (frac == 0) {
            return sign + whole;
        }
        return sign + whole + "." + (frac % 10 == 0 ? Long.toString(frac / 10) : String.format(Locale.ROOT, "%02d", frac));
    }

    /** The PNG image. */
    public static byte[] png(Chart c) {
        Drawing d = draw(c);
        BufferedImage img = new BufferedImage(d.width(), d.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            d.chart().draw(g, new Rectangle2D.Double(0, 0, d.width(), d.height()));
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return out.toByteArray();
    }

    private static Drawing draw(Chart c) {
        if (c instanceof LineChart l) {
            return line(l);
        }
        if (c instanceof HeatMap h) {
            return heat(h);
        }
        return dots((DotChart) c);
    }

    // ---- line charts ----

    private static Drawing line(LineChart c) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        r.setDrawSeriesLineAsPath(true);
        List<XYTextAnnotation> labels = new ArrayList<>();
        List<String> notes = new ArrayList<>(c.notes());
        List<String> zeros = new ArrayList<>();
        int i = 0;
        List<Integer> endSeries = new ArrayList<>();
        for (Series s : c.series()) {
            Trace t = Trace.of(s, c.y().log());
            XYSeries line = new XYSeries(s.key() + t.legendSuffix(c.x()), false, true);
            double[] y = t.y();
            for (int k = 0; k < s.size(); k++) {
                line.add(s.x()[k], y[k]);
            }
            data.addSeries(line);
            Color colour = Palette.colour(s.path());
            r.setSeriesPaint(i, colour);
            r.setSeriesStroke(i, Palette.stroke(s.precision(), 2.2f));
            r.setSeriesShape(i, Palette.shape(s.precision(), 7));
            // markers on every point only while they do not smother the line
            r.setSeriesShapesVisible(i, s.size() <= 40);
            if (t.notDrawable() > 0) {
                zeros.add(s.key() + " " + t.notDrawable() + " of " + s.size());
            }
            i++;
            if (!t.ends().isEmpty()) {
                XYSeries ends = new XYSeries("end of " + s.key(), false, true);
                for (Trace.End e : t.ends()) {
                    double ey = c.y().log() && e.y() <= 0 ? Double.NaN : e.y();
                    ends.add(e.x(), ey);
                    if (!Double.isNaN(ey)) {
                        XYTextAnnotation a = new XYTextAnnotation(" " + e.what(), e.x(), ey);
                        a.setFont(new Font(FONT, Font.BOLD, 12));
                        a.setPaint(colour);
                        a.setTextAnchor(TextAnchor.BOTTOM_LEFT);
                        labels.add(a);
                    }
                }
                endSeries.add(data.getSeriesCount());
                data.addSeries(ends);
                r.setSeriesPaint(i, colour);
                r.setSeriesLinesVisible(i, false);
                r.setSeriesShapesVisible(i, true);
                r.setSeriesShape(i, Palette.cross(11));
                r.setSeriesVisibleInLegend(i, false);
                i++;
            }
        }
        if (!zeros.isEmpty()) {
            notes.add("Values of exactly 0 cannot sit on a log axis, so the lines have gaps there: "
                    + String.join(", ", zeros) + ".");
        }
        r.setLegendLine(new java.awt.geom.Line2D.Double(-16, 0, 16, 0));
        XYPlot plot = new XYPlot(data, axis(c.x(), true), axis(c.y(), false), r);
        style(plot);
        for (XYTextAnnotation a : labels) {
            plot.addAnnotation(a);
        }
        for (LineChart.Mark m : c.marks()) {
            Series s = find(c, m.seriesKey());
            ValueMarker vm = new ValueMarker(m.x(), Palette.colour(s.path()), Palette.stroke(s.precision(), 1.4f));
            vm.setAlpha(0.9f);
            plot.addDomainMarker(vm, Layer.BACKGROUND);
        }
        JFreeChart chart = chart(c.title(), c.subtitle(), plot, true);
        addNotes(chart, notes);
        int legendRows = (c.series().size() + 2) / 3;
        int noteLines = 0;
        for (String n : notes) {
            noteLines += 1 + n.length() / 140;
        }
        return new Drawing(chart, WIDTH, LINE_HEIGHT + 22 * legendRows + 18 * noteLines);
    }

    private static Series find(LineChart c, String key) {
        for (Series s : c.series()) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        throw new IllegalArgumentException("chart " + c.id() + ": a mark names series " + key + ", which it lacks");
    }

    private static ValueAxis axis(Axis a, boolean domain) {
        ValueAxis axis;
        if (a.log()) {
            LogAxis log = new LogAxis(a.label());
            log.setBase(10);
            log.setSmallestValue(1e-300);
            log.setMinorTickMarksVisible(true);
            log.setNumberFormatOverride(new CompactFormat());
            // whole decades only: 1, 10, 100 read at a glance, 3.162 does not
            log.setStandardTickUnits(NumberAxis.createIntegerTickUnits(Locale.ROOT));
            axis = log;
        } else {
            NumberAxis n = new NumberAxis(a.label());
            n.setStandardTickUnits(domain ? NumberAxis.createIntegerTickUnits(Locale.ROOT)
                    : NumberAxis.createStandardTickUnits(Locale.ROOT));
            n.setAutoRangeIncludesZero(false);
            axis = n;
        }
        axis.setLabelFont(AXIS_LABEL);
        axis.setTickLabelFont(TICK);
        return axis;
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setDomainGridlineStroke(new BasicStroke(1f));
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setOutlinePaint(Color.GRAY);
        plot.setAxisOffset(new RectangleInsets(4, 4, 4, 4));
    }

    private static JFreeChart chart(String title, String subtitle, XYPlot plot, boolean legend) {
        JFreeChart chart = new JFreeChart(title, TITLE, plot, legend);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(8, 8, 8, 16));
        chart.setTextAntiAlias(true);
        // a subtitle does not wrap by itself: cut it into lines at spaces, so nothing runs off the sides
        List<String> lines = wrap(subtitle, 125);
        for (int i = 0; i < lines.size(); i++) {
            TextTitle sub = new TextTitle(lines.get(i), SUBTITLE);
            sub.setPaint(Color.DARK_GRAY);
            chart.addSubtitle(i, sub);
        }
        LegendTitle l = chart.getLegend();
        if (l != null) {
            l.setItemFont(LEGEND);
            l.setFrame(BlockBorder.NONE);
            l.setPosition(RectangleEdge.BOTTOM);
        }
        return chart;
    }

    /** {@code text} in lines of at most about {@code width} characters, broken at spaces. */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }

    private static void addNotes(JFreeChart chart, List<String> notes) {
        for (String n : notes) {
            TextTitle t = new TextTitle(n, NOTE);
            t.setPosition(RectangleEdge.BOTTOM);
            t.setPaint(Color.DARK_GRAY);
            chart.addSubtitle(t);
        }
    }

    /** Log-axis tick labels as {@link Numbers#compact} writes numbers: 0.001, 100, 1.000e+07; the same in every locale. */
    private static final class CompactFormat extends NumberFormat {
        @Override
        public StringBuffer format(double number, StringBuffer to, FieldPosition pos) {
            return to.append(Numbers.compact(number));
        }

        @Override
        public StringBuffer format(long number, StringBuffer to, FieldPosition pos) {
            return to.append(number);
        }

        @Override
        public Number parse(String source, ParsePosition pos) {
            throw new UnsupportedOperationException("tick labels are only written");
        }
    }

    /** Tick labels of a log10 axis: the value 10^x, as {@link Numbers#compact} writes it. */
    private static final class DecadeFormat extends NumberFormat {
        @Override
        public StringBuffer format(double exponent, StringBuffer to, FieldPosition pos) {
            return to.append(Numbers.compact(Math.pow(10, exponent)));
        }

        @Override
        public StringBuffer format(long exponent, StringBuffer to, FieldPosition pos) {
            return format((double) exponent, to, pos);
        }

        @Override
        public Number parse(String source, ParsePosition pos) {
            throw new UnsupportedOperationException("tick labels are only written");
        }
    }

    // ---- heat maps ----

    private static Drawing heat(HeatMap h) {
        int rows = h.rows().size();
        int cols = h.columns().size();
        double[] xs = new double[rows * cols];
        double[] ys = new double[rows * cols];
        double[] zs = new double[rows * cols];
        HeatMap.ColourScale s = h.scale();
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < cols; k++) {
                int j = r * cols + k;
                xs[j] = k;
                ys[j] = r;
                zs[j] = h.values()[r][k];
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("cells", new double[][] {xs, ys, zs});
        RampScale paint = new RampScale(s);
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setPaintScale(paint);
        SymbolAxis x = new SymbolAxis(h.columnLabel(), h.columns().toArray(new String[0]));
        SymbolAxis y = new SymbolAxis(h.rowLabel(), h.rows().toArray(new String[0]));
        for (SymbolAxis a : List.of(x, y)) {
            a.setGridBandsVisible(false);
            a.setLabelFont(AXIS_LABEL);
            a.setTickLabelFont(TICK);
        }
        x.setRange(-0.5, cols - 0.5);
        y.setRange(-0.5, rows - 0.5);
        y.setInverted(true);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        style(plot);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < cols; k++) {
                XYTextAnnotation a = new XYTextAnnotation(h.text()[r][k], k, r);
                a.setFont(CELL);
                a.setPaint(textOn(paint.getPaint(h.values()[r][k])));
                plot.addAnnotation(a);
            }
        }
        JFreeChart chart = chart(h.title(), h.subtitle(), plot, false);
        // The legend strip is cut into equal steps of its axis' value; on a log axis equal linear steps would leave
        // the lower decades one block of colour. So a log legend runs on log10 of the value, labelled with the value.
        NumberAxis legendAxis = new NumberAxis(s.label());
        PaintScale legendPaint = paint;
        if (s.log()) {
            double lo = Math.log10(paint.getLowerBound());
            double hi = Math.log10(paint.getUpperBound());
            legendAxis.setRange(lo, hi);
            legendAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits(Locale.ROOT));
            legendAxis.setNumberFormatOverride(new DecadeFormat());
            legendPaint = new PaintScale() {
                @Override
                public double getLowerBound() {
                    return lo;
                }

                @Override
                public double getUpperBound() {
                    return hi;
                }

                @Override
                public Paint getPaint(double exponent) {
                    return paint.getPaint(Math.pow(10, exponent));
                }
            };
        } else {
            legendAxis.setStandardTickUnits(NumberAxis.createStandardTickUnits(Locale.ROOT));
            legendAxis.setRange(paint.getLowerBound(), paint.getUpperBound());
        }
        legendAxis.setLabelFont(AXIS_LABEL);
        legendAxis.setTickLabelFont(TICK);
        PaintScaleLegend legend = new PaintScaleLegend(legendPaint, legendAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(new RectangleInsets(4, 12, 4, 4));
        legend.setStripWidth(16);
        legend.setSubdivisionCount(128);
        chart.addSubtitle(legend);
        TextTitle missing = new TextTitle("grey cells: " + s.missingLabel(), NOTE);
        missing.setPosition(RectangleEdge.BOTTOM);
        chart.addSubtitle(missing);
        int height = Math.max(420, 190 + 30 * rows);
        int width = Math.max(WIDTH, 360 + 90 * cols);
        return new Drawing(chart, width, height);
    }

    /** Black or white text, whichever reads better on {@code background}. */
    private static Paint textOn(Paint background) {
        Color c = (Color) background;
        double luminance = 0.2126 * c.getRed() + 0.7152 * c.getGreen() + 0.0722 * c.getBlue();
        return luminance < 128 ? Color.WHITE : Color.BLACK;
    }

    /** The heat map's colours: the ramp between low and high (log-spread if asked), grey for NaN. */
    private static final class RampScale implements PaintScale {
        private final HeatMap.ColourScale s;

        RampScale(HeatMap.ColourScale s) {
            this.s = s;
        }

        @Override
        public double getLowerBound() {
            return s.low();
        }

        @Override
        public double getUpperBound() {
            return s.high() > s.low() ? s.high() : s.low() + 1;
        }

        @Override
        public Paint getPaint(double value) {
            if (Double.isNaN(value)) {
                return Color.decode(Palette.MISSING);
            }
            double lo = getLowerBound();
            double hi = getUpperBound();
            double t = s.log() && lo > 0 && value > 0
                    ? (Math.log(value) - Math.log(lo)) / (Math.log(hi) - Math.log(lo))
                    : (value - lo) / (hi - lo);
            return Palette.ramp(t);
        }
    }

    // ---- dot charts ----

    private static Drawing dots(DotChart c) {
        int n = c.dots().size();
        boolean log = c.y().log();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (DotChart.Dot d : c.dots()) {
            if (drawable(d.value(), log)) {
                lo = Math.min(lo, d.value());
                hi = Math.max(hi, d.value());
            }
        }
        for (DotChart.Threshold t : c.thresholds()) {
            lo = Math.min(lo, t.value());
            hi = Math.max(hi, t.value());
        }
        if (lo > hi) {
            lo = 0;
            hi = 1;
        }
        if (log) {
            // a log axis pads by factors: the same arithmetic on the logarithms
            lo = Math.log10(lo);
            hi = Math.log10(hi);
        }
        double pad = hi > lo ? (hi - lo) * 0.08 : Math.max(log ? 0.5 : 1, Math.abs(hi) * 0.1);
        double top = hi + pad * 1.5; // where values with no number (null, NaN, ±∞; ≤ 0 on a log axis) sit, named
        double bottom = lo - pad;
        double ceiling = top + pad * 1.2;
        if (log) {
            top = Math.pow(10, top);
            bottom = Math.pow(10, bottom);
            ceiling = Math.pow(10, ceiling);
        }
        Map<String, XYSeries> groups = new LinkedHashMap<>();
        Map<String, DotChart.Dot> firstOf = new LinkedHashMap<>();
        List<XYTextAnnotation> labels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            DotChart.Dot d = c.dots().get(i);
            String key = d.path() + (d.passed() ? " · passed" : " · broke the rule");
            XYSeries s = groups.computeIfAbsent(key, k -> new XYSeries(k, false, true));
            firstOf.putIfAbsent(key, d);
            double y = drawable(d.value(), log) ? d.value() : top;
            s.add(i, y);
            if (!drawable(d.value(), log)) {
                XYTextAnnotation a = new XYTextAnnotation(d.valueText(), i, top);
                a.setFont(new Font(FONT, Font.PLAIN, 10));
                a.setTextAnchor(TextAnchor.BOTTOM_CENTER);
                a.setPaint(Color.DARK_GRAY);
                labels.add(a);
            }
        }
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
        int i = 0;
        for (Map.Entry<String, XYSeries> e : groups.entrySet()) {
            data.addSeries(e.getValue());
            DotChart.Dot d = firstOf.get(e.getKey());
            r.setSeriesPaint(i, Palette.colour(d.path()));
            r.setSeriesShape(i, d.passed() ? Palette.shape("fp64", 10) : Palette.cross(12));
            i++;
        }
        String[] names = c.dots().stream().map(DotChart.Dot::label).toArray(String[]::new);
        SymbolAxis x = new SymbolAxis("row checked (run and setting)", names);
        x.setGridBandsVisible(false);
        x.setVerticalTickLabels(true);
        x.setLabelFont(AXIS_LABEL);
        x.setTickLabelFont(new Font(FONT, Font.PLAIN, 11));
        x.setRange(-0.7, n - 0.3);
        ValueAxis y = axis(c.y(), false);
        y.setRange(bottom, ceiling);
        XYPlot plot = new XYPlot(data, x, y, r);
        style(plot);
        for (XYTextAnnotation a : labels) {
            plot.addAnnotation(a);
        }
        for (DotChart.Threshold t : c.thresholds()) {
            ValueMarker m = new ValueMarker(t.value(), Color.BLACK,
                    new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f));
            m.setLabel(t.label());
            m.setLabelFont(new Font(FONT, Font.PLAIN, 12));
            m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            m.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
            plot.addRangeMarker(m, Layer.FOREGROUND);
        }
        JFreeChart chart = chart(c.title(), c.subtitle(), plot, true);
        int longest = 0;
        for (String s : names) {
            longest = Math.max(longest, s.length());
        }
        int width = Math.max(WIDTH, 200 + 16 * n);
        int height = 600 + 6 * Math.min(longest, 60) + 18 * wrap(c.subtitle(), 125).size();
        return new Drawing(chart, width, height);
    }

    /** Whether a dot's value has a place on its axis: finite, and positive on a log axis. */
    private static boolean drawable(double v, boolean log) {
        return Double.isFinite(v) && (!log || v > 0);
    }
}
