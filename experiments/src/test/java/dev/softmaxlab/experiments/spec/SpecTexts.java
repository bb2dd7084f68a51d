package dev.softmaxlab.experiments.spec;

/** Small spec texts for tests. */
public final class SpecTexts {

    private SpecTexts() {
    }

    /** A 2 × 3 grid (lr × logitScale) of fused and separate-naive at fp32, with two expectations that hold. */
    public static final String SMALL = """
            {"schema":"softmaxlab.spec/1","name":"small","description":"a test grid",
             "base":{"steps":20,"paths":["fused","separate-naive"],"precision":["fp32"]},
             "grid":{"lr":[0.1,0.5],"logitScale":[1,100,1000]},
             "expect":[
               {"where":{"path":"fused"},"metric":"totalNonFinite","equals":0},
               {"where":{"path":"separate-naive","logitScale":{"gte":100}},"metric":"firstNonFiniteStep","notNull":true}
             ]}
            """;

    /** {@link #SMALL} with a different name (and so a different spec hash). */
    public static String renamed(String name) {
        return SMALL.replace("\"name\":\"small\"", "\"name\":\"" + name + "\"");
    }
}
