package dev.softmaxlab.experiments.probe;

import dev.softmaxlab.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --scale-sweep FROM:TO:N}: one row of logits multiplied by N factors spaced geometrically from FROM to TO,
 * to find the scale at which each path breaks. Factor i is 10^(log10 FROM + i·(log10 TO − log10 FROM)/(N−1)), i.e.
 * FROM·(TO/FROM)^(i/(N−1)); the first is exactly FROM, the last exactly TO, and decades are exact.
 *
 * @param from  the first factor, finite and &gt; 0
 * @param to    the last factor, finite and &gt; 0
 * @param count N ≥ 2 factors
 */
public record ScaleSweep(double from, double to, int count) {

    /** More cases than anyone reads on one chart. */
    public static final int MAX_COUNT = 10_000;

    public ScaleSweep {
        if (!(from > 0) || !(to > 0) || !Double.isFinite(from) || !Double.isFinite(to) || count < 2
                || count > MAX_COUNT) {
            throw new IllegalArgumentException("scale sweep " + from + ":" + to + ":" + count);
        }
    }

    /** Parses {@code FROM:TO:N}; a bad value is a user error naming the option and the fix. */
    public static ScaleSweep parse(String text) {
        String[] parts = text.split(":", -1);
        String fix = ": give FROM:TO:N with FROM, TO > 0 and 2 ≤ N ≤ " + MAX_COUNT + ", e.g. 1:1e6:25";
        if (parts.length != 3) {
            throw new InvalidInputException("--scale-sweep " + text + " is not FROM:TO:N" + fix);
        }
        double from = number(parts[0], "FROM", text, fix);
        double to = number(parts[1], "TO", text, fix);
        int count;
        try {
            count = Integer.parseInt(parts[2].trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("--scale-sweep " + text + ": N '" + parts[2] + "' is not a whole number"
                    + fix);
        }
        if (count < 2 || count > MAX_COUNT) {
            throw new InvalidInputException("--scale-sweep " + text + ": N = " + count + " is out of range" + fix);
        }
        return new ScaleSweep(from, to, count);
    }

    private static double number(String s, String name, String text, String fix) {
        double v;
        try {
            v = Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("--scale-sweep " + text + ": " + name + " '" + s + "' is not a number" + fix);
        }
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new InvalidInputException("--scale-sweep " + text + ": " + name + " = " + s + " must be finite and > 0"
                    + fix);
        }
        return v;
    }

    /** Factor {@code i}, 0 ≤ i &lt; count. */
    public double factor(int i) {
        if (i == 0) {
            return from;
        }
        if (i == count - 1) {
            return to;
        }
        // in decades: log10 of a power of ten is exact, so 1:1e5:6 gives exactly 1, 10, 100, ... (pow(1e5, 0.2) would
        // give 10.000000000000002); elsewhere pow(10, x) is within an ulp of 10^x for the rounded x
        double lo = Math.log10(from);
        double hi = Math.log10(to);
        return Math.pow(10, lo + i * (hi - lo) / (count - 1));
    }

    /** The cases: {@code base}'s logits times each factor, with the same label or target. */
    public List<ProbeCase> cases(ProbeCase base) {
        List<ProbeCase> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            double f = factor(i);
            double[] z = base.logits().clone();
            for (int j = 0; j < z.length; j++) {
                z[j] *= f;
            }
            out.add(new ProbeCase(i, z, base.label(), base.target(), base.id()));
        }
        return out;
    }
}
