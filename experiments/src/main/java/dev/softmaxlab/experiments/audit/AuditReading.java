package dev.softmaxlab.experiments.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report read aloud: a few sentences generated from the numbers, for people (the text output and the JSON's
 * {@code reading}). Each sentence states a number from the report; nothing here is measured anew.
 */
public final class AuditReading {

    private AuditReading() {
    }

    public static List<String> of(AuditReport report) {
        List<String> out = new ArrayList<>();
        AuditReport.InputStats in = report.input();
        for (AuditReport.Misuse m : report.misuse()) {
            out.add("Misuse (" + percent(m.fraction()) + " of rows): " + m.evidence() + ".");
        }
        if (in.ignoredRows() > 0) {
            out.add(in.ignoredRows() + " of " + in.rows() + " rows carry the ignore index and were skipped.");
        }
        if (in.nonFiniteLogits() > 0) {
            out.add(in.rowsWithNonFinite() + " rows hold " + in.nonFiniteLogits() + " NaN or infinite logits: they "
                    + "were evaluated and counted, but have no exact reference.");
        }
        // headroom, one sentence per precision: "fp16 separate-naive breaks at 0.31x these logits; fused stays
        // finite up to 143x"
        Map<String, List<String>> byPrecision = new LinkedHashMap<>();
        for (AuditReport.PathPrecision p : report.paths()) {
            if (p.headroom() == null) {
                continue;
            }
            double s = p.headroom().scale().min();
            String phrase;
            if (s == 0) {
                phrase = p.path() + " breaks on these logits at every scale tried";
            } else if (s < 1) {
                phrase = p.path() + " breaks at " + number(s) + "x these logits";
            } else if (s >= p.headroom().scale().bound()) {
                phrase = p.path() + " stays fine beyond " + number(s) + "x";
            } else {
                phrase = p.path() + " stays fine up to " + number(s) + "x";
            }
            byPrecision.computeIfAbsent(p.precision(), k -> new ArrayList<>()).add(phrase);
        }
        for (Map.Entry<String, List<String>> e : byPrecision.entrySet()) {
            out.add(e.getKey() + " " + String.join("; ", e.getValue()) + " (scale headroom, worst sampled row).");
        }
        for (AuditReport.PathPrecision p : report.paths()) {
            String name = p.precision() + " " + p.path();
            if (p.brokenRows() > 0) {
                AuditReport.BrokenRow b = p.firstBroken();
                out.add(name + " breaks on " + p.brokenRows() + " of " + p.rows() + " rows (first: row " + b.row()
                        + (b.op() != null ? ", " + b.op() + " went non-finite" : ", loss lost to 0") + ").");
            }
        }
        // accuracy, one sentence per precision: the largest loss error of each path, in that precision's ulps
        Map<String, List<String>> errors = new LinkedHashMap<>();
        for (AuditReport.PathPrecision p : report.paths()) {
            if (!Double.isNaN(p.lossErrorUlps().max())) {
                errors.computeIfAbsent(p.precision(), k -> new ArrayList<>()).add(p.path() + " "
                        + number(p.lossErrorUlps().max()) + " (label gradient entry " + percent(
                        p.labelGradientRelativeErrorMax()) + ")");
            }
        }
        for (Map.Entry<String, List<String>> e : errors.entrySet()) {
            out.add(e.getKey() + " loss error, worst row, in " + e.getKey() + " ulps: " + String.join("; ",
                    e.getValue()) + ".");
        }
        return out;
    }

    /** Three significant digits, plain for magnitudes in [1e-3, 1e6), else scientific. */
    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        double a = Math.abs(v);
        if (a == 0) {
            return "0";
        }
        if (a < 1e-3 || a >= 1e6) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    static String percent(double f) {
        if (Double.isNaN(f)) {
            return "NaN";
        }
        return number(100 * f) + "%";
    }
}
