package dev.softmaxlab.experiments.spec;

import dev.softmaxlab.core.InvalidInputException;
import java.util.List;

/**
 * A spec that cannot be run. The message is one line (the source, the first problem and how many more there are);
 * {@link #problems()} holds all of them for {@code validate}.
 */
public final class InvalidSpecException extends InvalidInputException {

    private static final long serialVersionUID = 1L;

    private final transient List<SpecProblem> problems;

    public InvalidSpecException(String source, List<SpecProblem> problems) {
        super(oneLine(source, problems));
        this.problems = List.copyOf(problems);
    }

    public List<SpecProblem> problems() {
        return problems;
    }

    private static String oneLine(String source, List<SpecProblem> problems) {
        String more = problems.size() > 1
                ? " (and " + (problems.size() - 1) + " more problem" + (problems.size() > 2 ? "s" : "")
                        + "; run 'softmaxlab validate' to list them)"
                : "";
        return "bad spec " + source + ": " + problems.get(0) + more;
    }
}
