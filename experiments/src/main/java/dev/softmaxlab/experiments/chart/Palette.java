package dev.softmaxlab.experiments.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.Map;

/**
 * The one place colours, dashes and markers are chosen, so a path looks the same in every chart and every report.
 * Colours are from the Okabe-Ito palette, which readers with any common colour-vision deficiency can tell apart; each
 * precision also has its own dash and marker, so lines differ by more than colour.
 */
public final class Palette {

    /** Okabe-Ito colours by path; a path not listed takes the next unused one in {@link #SPARE} order. */
    private static final Map<String, String> PATH_COLOURS = Map.of(
            "fused", "#0072B2",            // blue
            "separate", "#D55E00",         // vermillion
            "separate-naive", "#CC79A7",   // reddish purple
            "separate-clipped", "#009E73"  // bluish green
    );
    private static final List<String> SPARE = List.of("#E69F00", "#56B4E9", "#000000", "#F0E442");

    /** Dash patterns (SVG stroke-dasharray, in px) by precision: fp64 solid, then shorter dashes as bits drop. */
    private static final Map<String, float[]> DASHES = Map.of(
            "fp64", new float[0],
            "fp32", new float[] {9f, 4f},
            "bf16", new float[] {9f, 3f, 2f, 3f},
            "fp16", new float[] {2.5f, 3f});

    /** Marker shapes by precision, as names Vega-Lite also knows. */
    private static final Map<String, String> MARKERS = Map.of(
            "fp64", "circle", "fp32", "square", "bf16", "triangle-up", "fp16", "diamond");

    /** The colour for a run that passed a rule, and one that broke it (Okabe-Ito blue and vermillion). */
    public static final String PASS = "#0072B2";
    public static final String FAIL = "#D55E00";

    /** Sequential ramp for heat maps, dark to light (viridis anchors): readable in grey scale and colour-blind safe. */
    public static final List<String> RAMP = List.of("#440154", "#3B528B", "#21908C", "#5DC863", "#FDE725");
    /** Heat-map cells that have no value on the ramp. */
    public static final String MISSING = "#D9D9D9";

    private Palette() {
    }

    /** The hex colour of {@code path}. */
    public static String colourHex(String path) {
        String c = PATH_COLOURS.get(path);
        if (c != null) {
            return c;
        }
        // unknown paths: a stable choice from the name, so the same name gets the same colour everywhere
        return SPARE.get(Math.floorMod(path.hashCode(), SPARE.size()));
    }

    public static Color colour(String path) {
        return Color.decode(colourHex(path));
    }

    /** The dash pattern of {@code precision}; empty for a solid line. */
    public static float[] dash(String precision) {
        float[] d = DASHES.get(precision);
        return d == null ? new float[] {6f, 2f, 1f, 2f} : d.clone();
    }

    public static Stroke stroke(String precision, float width) {
        float[] d = dash(precision);
        return d.length == 0
                ? new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND)
                : new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, d, 0f);
    }

    /** The marker name of {@code precision} (circle, square, triangle-up, diamond, cross). */
    public static String marker(String precision) {
        return MARKERS.getOrDefault(precision, "cross");
    }

    /** The marker of {@code precision} as a shape centred on 0,0, {@code size} px across. */
    public static Shape shape(String precision, double size) {
        double h = size / 2;
        return switch (marker(precision)) {
            case "circle" -> new Ellipse2D.Double(-h, -h, size, size);
            case "square" -> new Rectangle2D.Double(-h * 0.9, -h * 0.9, size * 0.9, size * 0.9);
            case "triangle-up" -> polygon(0, -h, h, h, -h, h);
            case "diamond" -> polygon(0, -h, h, 0, 0, h, -h, 0);
            default -> cross(size);
        };
    }

    /** An × centred on 0,0: the mark for "the line ends here" and for a rule broken. */
    public static Shape cross(double size) {
        double h = size / 2;
        double t = size / 7;
        Path2D.Double p = new Path2D.Double();
        p.moveTo(-h, -h + t);
        p.lineTo(-h + t, -h);
        p.lineTo(0, -t);
        p.lineTo(h - t, -h);
        p.lineTo(h, -h + t);
        p.lineTo(t, 0);
        p.lineTo(h, h - t);
        p.lineTo(h - t, h);
        p.lineTo(0, t);
        p.lineTo(-h + t, h);
        p.lineTo(-h, h - t);
        p.lineTo(-t, 0);
        p.closePath();
        return p;
    }

    private static Shape polygon(double... xy) {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(xy[0], xy[1]);
        for (int i = 2; i < xy.length; i += 2) {
            p.lineTo(xy[i], xy[i + 1]);
        }
        p.closePath();
        return p;
    }

    /** The ramp colour at {@code t} in [0, 1], interpolated linearly in RGB between the anchors. */
    public static Color ramp(double t) {
        double u = Math.max(0, Math.min(1, t)) * (RAMP.size() - 1);
        int i = Math.min((int) Math.floor(u), RAMP.size() - 2);
        double f = u - i;
        Color a = Color.decode(RAMP.get(i));
        Color b = Color.decode(RAMP.get(i + 1));
        return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
    }
}
