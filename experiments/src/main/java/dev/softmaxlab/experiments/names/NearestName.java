package dev.softmaxlab.experiments.names;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Suggests the valid name a user most likely meant ("did you mean 'logitScale'?"), for config keys, spec keys and
 * enumerated values alike. Names are compared ignoring case, '-' and '_', so {@code logit-scale}, {@code logit_scale}
 * and {@code LOGITSCALE} all find {@code logitScale}; then by edit distance, where swapping two neighbours counts as
 * one typo.
 */
public final class NearestName {

    private NearestName() {
    }

    /**
     * The candidate nearest to {@code given}, if it is near enough to be a plausible typo: an edit distance of at most
     * a third of the longer name (at least 1), or one name containing the other. Ties go to the earlier candidate.
     */
    public static Optional<String> suggest(String given, Collection<String> candidates) {
        String g = normalize(given);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            String n = normalize(c);
            // one name inside the other counts as one typo, unless the shorter is too short to mean anything
            boolean contains = Math.min(g.length(), n.length()) >= 3 && (n.contains(g) || g.contains(n));
            int d = n.equals(g) ? 0 : contains ? 1 : distance(g, n);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        int allowed = Math.max(1, Math.max(g.length(), normalize(best).length()) / 3);
        return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** " (did you mean 'x'?)" or the empty string: ready to append to a message. */
    public static String hint(String given, Collection<String> candidates) {
        return suggest(given, candidates).map(s -> " (did you mean '" + s + "'?)").orElse("");
    }

    /**
     * The optimal-string-alignment distance: inserting, deleting or substituting one character, or swapping two
     * adjacent ones ({@code adma} -> {@code adam}), each costs 1.
     */
    public static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1]; // d[i][j]: distance of a[0, i) and b[0, j)
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private static String normalize(String s) {
        return s == null ? "" : s.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }
}
