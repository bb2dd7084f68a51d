package dev.softmaxlab.core.numeric;

/** The operation events of core/NUMERICS.md. The id is the JSON field name. */
public enum NumericEvent {
    /** exp of a finite input gives +∞. */
    EXP_OVERFLOW("expOverflow"),
    /** exp of a finite input gives 0. */
    EXP_UNDERFLOW("expUnderflow"),
    /** a result is a subnormal of the compute format. */
    SUBNORMAL("subnormal"),
    /** log(0). */
    LOG_OF_ZERO("logOfZero"),
    /** x/0, including 0/0. */
    DIV_BY_ZERO("divByZero"),
    /** ∞/∞. */
    INF_OVER_INF("infOverInf"),
    /** 0·∞. */
    ZERO_TIMES_INF("zeroTimesInf"),
    /** ∞-∞ (or ∞+(-∞)). */
    INF_MINUS_INF("infMinusInf"),
    /** a probability clipped to [ε, 1-ε]. */
    CLIPPED("clipped"),
    /** a soft-cap's tanh(z/c) that rounds to ±1, so the capped logit is exactly ±c and its gradient 0. */
    SATURATED("saturated");

    private final String id;

    NumericEvent(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
