package dev.softmaxlab.experiments.spec;

/** The numeric comparisons a spec may write, by their JSON keys. NaN satisfies none of them. */
public enum Comparison {
    GTE("gte", "≥"), LTE("lte", "≤"), GT("gt", ">"), LT("lt", "<");

    private final String key;
    private final String symbol;

    Comparison(String key, String symbol) {
        this.key = key;
        this.symbol = symbol;
    }

    public String key() {
        return key;
    }

    public String symbol() {
        return symbol;
    }

    public static Comparison byKey(String key) {
        for (Comparison c : values()) {
            if (c.key.equals(key)) {
                return c;
            }
        }
        return null;
    }

    /** {@code actual <op> bound}. */
    public boolean holds(double actual, double bound) {
        return switch (this) {
            case GTE -> actual >= bound;
            case LTE -> actual <= bound;
            case GT -> actual > bound;
            case LT -> actual < bound;
        };
    }
}
