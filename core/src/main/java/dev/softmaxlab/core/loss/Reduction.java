package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.InvalidInputException;

/** How per-row losses and gradient rows are combined over a batch of B rows. */
public enum Reduction {
    /** Divides the summed loss and every gradient row by B. */
    MEAN("mean"),
    /** Sums, no division. */
    SUM("sum"),
    /** Keeps one loss per row; gradient rows are not divided. */
    NONE("none");

    private final String id;

    Reduction(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** @throws IllegalArgumentException naming the value and the valid ids */
    public static Reduction fromId(String id) {
        for (Reduction r : values()) {
            if (r.id.equals(id)) {
                return r;
            }
        }
        throw new InvalidInputException("unknown reduction '" + id + "': expected one of mean, sum, none");
    }

    @Override
    public String toString() {
        return id;
    }
}
