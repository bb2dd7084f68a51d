package dev.softmaxlab.experiments.probe;

import dev.softmaxlab.core.InvalidInputException;

/** The one case given on the command line as {@code --logits} with {@code --label} or {@code --target}. */
public final class CommandLineCase {

    private static final ProbeCase.Fields FIELDS = new ProbeCase.Fields("", "--logits", "--label", "--target");

    private CommandLineCase() {
    }

    /**
     * Parses the case.
     *
     * @param logits comma-separated numbers, e.g. {@code 1000,0,-1000} or {@code 1,NaN,-inf}
     * @param label  the class index, or null
     * @param target comma-separated probabilities, or null; exactly one of label and target is given
     * @throws InvalidInputException naming the option, the value and the fix
     */
    public static ProbeCase parse(String logits, Integer label, String target) {
        return parse(logits, label, target, FIELDS.ignoreIndex());
    }

    /** {@link #parse(String, Integer, String)} with the run's ignore index, accepted as a label. */
    public static ProbeCase parse(String logits, Integer label, String target, int ignoreIndex) {
        ProbeCase.Fields fields = new ProbeCase.Fields("", "--logits", "--label", "--target", ignoreIndex);
        if (label != null && target != null) {
            throw new InvalidInputException("--label and --target were both given: give --label for a class index "
                    + "or --target for a distribution, not both");
        }
        if (label == null && target == null) {
            throw new InvalidInputException("--logits needs a target: add --label K (a class index) or "
                    + "--target t0,t1,... (a distribution)");
        }
        double[] z = parseVector(logits, "--logits");
        if (label != null) {
            return ProbeCase.sparse(0, z, label, fields);
        }
        return ProbeCase.dense(0, z, parseVector(target, "--target"), fields);
    }

    /** Comma-separated numbers; an empty string is an empty vector. */
    static double[] parseVector(String csv, String option) {
        String s = csv.trim();
        if (s.isEmpty()) {
            return new double[0];
        }
        String[] tokens = s.split(",", -1);
        double[] v = new double[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i].isBlank()) {
                throw new InvalidInputException(option + " value " + (i + 1) + " is empty: separate numbers by single "
                        + "commas, e.g. " + option + " 1000,0,-1000");
            }
            try {
                v[i] = NumberTokens.parse(tokens[i]);
            } catch (NumberFormatException e) {
                throw new InvalidInputException(option + " value " + (i + 1) + ": " + e.getMessage());
            }
        }
        return v;
    }
}
