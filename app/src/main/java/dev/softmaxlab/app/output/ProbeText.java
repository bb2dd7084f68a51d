package dev.softmaxlab.app.output;

import dev.softmaxlab.core.loss.LossOption;
import dev.softmaxlab.core.loss.LossOptions;
import dev.softmaxlab.core.numeric.FirstNonFinite;
import dev.softmaxlab.core.numeric.NumericEvent;
import dev.softmaxlab.core.numeric.NumericEvents;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.experiments.probe.ProbeCase;
import dev.softmaxlab.experiments.probe.ProbeCaseResult;
import dev.softmaxlab.experiments.probe.ProbeResult;
import java.util.StringJoiner;

/**
 * The text format of {@code probe}: per case a heading (the logits and the target) and a table with one row per
 * path × precision: the loss, max |gradient|, the non-zero event counts and the first operation that went
 * non-finite. Losses print as the shortest decimal that reads back to the same value in the row's precision.
 */
public final class ProbeText {

    /** Vectors up to this many classes are printed in the heading; longer ones are summarized. */
    static final int MAX_SHOWN = 10;
    /** The events column wraps at this width so that a table fits a terminal of about 120 columns. */
    static final int EVENTS_WIDTH = 44;

    private ProbeText() {
    }

    /** Per-class vectors are shown in text up to this many classes (wider rows do not fit a terminal). */
    public static final int MAX_VECTOR_CLASSES = 16;

    /**
     * The loss-head options in force, one line before the first case, e.g.
     * {@code loss head: ignoreIndex 3, classWeights 1.0,2.0,0.5, zLoss 1.0E-4, softcap 30.0}; empty when every
     * option is at its default, so a plain probe reads as before.
     */
    public static String header(LossOptions options) {
        StringJoiner in = new StringJoiner(", ");
        for (LossOption o : LossOption.values()) {
            if (options.isSet(o)) {
                in.add(o.key() + " " + options.valueText(o));
            }
        }
        return in.length() == 0 ? "" : "loss head: " + in + "\n\n";
    }

    /** One case: heading, table, blank line. */
    public static String render(ProbeCaseResult r) {
        return render(r, false);
    }

    /**
     * One case; with {@code vectors}, each result's gradient and probabilities (those the config computed) follow
     * the table, for rows of at most {@link #MAX_VECTOR_CLASSES} classes.
     */
    public static String render(ProbeCaseResult r, boolean vectors) {
        StringBuilder sb = new StringBuilder();
        sb.append(heading(r.input())).append("\n\n");
        TextTable t = new TextTable(TextTable.left("path"), TextTable.left("precision"), TextTable.right("loss"),
                TextTable.right("max |gradient|"), TextTable.left("first non-finite"), TextTable.left("events"));
        boolean half = false;
        String acc = null;
        String previousPath = null;
        for (ProbeResult x : r.results()) {
            if (previousPath != null && !previousPath.equals(x.path())) {
                t.gap();
            }
            previousPath = x.path();
            Precision p = x.precision().compute();
            if (p == Precision.BF16 || p == Precision.FP16) {
                half = true;
                acc = x.precision().accumulate().id();
            }
            t.row(x.path(), p.id(), Numbers.shortest(x.loss(), p), Numbers.shortest(x.maxAbsGradient(), p),
                    firstNonFinite(x.events().firstNonFinite()), wrap(events(x.events()), EVENTS_WIDTH));
        }
        sb.append(t.render());
        if (half) {
            sb.append("(bf16 and fp16 sums accumulate in ").append(acc).append(")\n");
        }
        if (vectors) {
            sb.append(vectors(r));
        }
        sb.append('\n');
        return sb.toString();
    }

    private static String vectors(ProbeCaseResult r) {
        if (r.input().classes() > MAX_VECTOR_CLASSES) {
            return "(vectors not shown for " + r.input().classes() + " classes, more than " + MAX_VECTOR_CLASSES
                    + ": use --format json)\n";
        }
        TextTable t = new TextTable(TextTable.left("path"), TextTable.left("precision"), TextTable.left("vector"),
                TextTable.left("per class"));
        for (ProbeResult x : r.results()) {
            Precision p = x.precision().compute();
            if (x.gradient() != null) {
                t.row(x.path(), p.id(), "gradient", values(x.gradient(), p));
            }
            if (x.probabilities() != null) {
                t.row(x.path(), p.id(), "probabilities", values(x.probabilities(), p));
            }
        }
        return "\n" + t.render();
    }

    private static String values(double[] v, Precision p) {
        StringJoiner j = new StringJoiner(", ", "[", "]");
        for (double x : v) {
            j.add(Numbers.shortest(x, p));
        }
        return j.toString();
    }

    /** The legend printed once after all cases. */
    public static String legend() {
        return "events: non-zero counts of operation events and of non-finite values in the loss and the gradient;\n"
                + "first non-finite: the first operation that turned finite operands non-finite, as op@class.\n";
    }

    static String heading(ProbeCase c) {
        StringBuilder sb = new StringBuilder("case ").append(c.index()).append(": ");
        sb.append(vector("logits", c.logits()));
        if (c.isSparse()) {
            sb.append(", label ").append(c.label());
            if (c.label() < 0 || c.label() >= c.classes()) {
                // a case accepts a label outside the classes only when it is the ignore index
                sb.append(" (the ignore index: the row is left out, loss and gradient 0)");
            }
        } else {
            sb.append(", ").append(vector("target", c.target()));
        }
        return sb.toString();
    }

    private static String vector(String name, double[] v) {
        if (v.length <= MAX_SHOWN) {
            StringJoiner j = new StringJoiner(", ", name + " [", "]");
            for (double x : v) {
                j.add(Numbers.exact(x));
            }
            return j.toString();
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int nonFinite = 0;
        for (double x : v) {
            if (!Double.isFinite(x)) {
                nonFinite++;
            } else {
                min = Math.min(min, x);
                max = Math.max(max, x);
            }
        }
        String s = v.length + " " + name + (nonFinite < v.length
                ? " in [" + Numbers.exact(min) + ", " + Numbers.exact(max) + "]" : "");
        return nonFinite > 0 ? s + " (" + nonFinite + " non-finite)" : s;
    }

    /** e.g. "expUnderflow:1 logOfZero:1 loss.posInf:1 gradient.nan:2"; "-" when nothing happened. */
    static String events(NumericEvents e) {
        StringJoiner j = new StringJoiner(" ");
        for (NumericEvent ev : NumericEvent.values()) {
            long n = e.count(ev);
            if (n != 0) {
                j.add(ev.id() + ":" + n);
            }
        }
        add(j, "loss.nan", e.lossNan());
        add(j, "loss.posInf", e.lossPosInf());
        add(j, "loss.negInf", e.lossNegInf());
        add(j, "gradient.nan", e.gradientNan());
        add(j, "gradient.posInf", e.gradientPosInf());
        add(j, "gradient.negInf", e.gradientNegInf());
        return j.length() == 0 ? "-" : j.toString();
    }

    /** Breaks space-separated words into lines of at most {@code width} characters (a longer word gets its own). */
    static String wrap(String words, int width) {
        StringBuilder sb = new StringBuilder();
        int lineLength = 0;
        for (String w : words.split(" ")) {
            if (lineLength > 0 && lineLength + 1 + w.length() > width) {
                sb.append('\n');
                lineLength = 0;
            } else if (lineLength > 0) {
                sb.append(' ');
                lineLength++;
            }
            sb.append(w);
            lineLength += w.length();
        }
        return sb.toString();
    }

    private static void add(StringJoiner j, String name, long n) {
        if (n != 0) {
            j.add(name + ":" + n);
        }
    }

    /** "log@2", or the op alone for a per-row operation, "-" for none. */
    static String firstNonFinite(FirstNonFinite f) {
        if (f == null) {
            return "-";
        }
        return f.classIndex() >= 0 ? f.op() + "@" + f.classIndex() : f.op();
    }
}
