package dev.softmaxlab.experiments.probe;

import dev.softmaxlab.core.InvalidInputException;

/** Which per-class vectors a probe result carries in JSON: both (the default), the gradient only, or none. */
public enum Vectors {
    ALL("all"),
    GRADIENT("gradient"),
    NONE("none");

    private final String id;

    Vectors(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public boolean gradient() {
        return this != NONE;
    }

    public boolean probabilities() {
        return this == ALL;
    }

    /** @throws InvalidInputException naming the value and the choices */
    public static Vectors fromId(String id) {
        for (Vectors v : values()) {
            if (v.id.equals(id)) {
                return v;
            }
        }
        throw new InvalidInputException("unknown vectors '" + id + "': expected one of all, gradient, none");
    }

    @Override
    public String toString() {
        return id;
    }
}
