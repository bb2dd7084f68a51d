package dev.softmaxlab.experiments.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The outcome of one expectation.
 *
 * @param index       its position in {@code expect}
 * @param expectation the expectation as written
 * @param status      {@code pass}, {@code fail}, or {@code skipped} when no completed run matched (all matching runs
 *                    failed, or they belong to another shard)
 * @param checked     the result rows it was checked on
 * @param violations  the rows that broke it
 */
public record Verdict(int index, ObjectNode expectation, String status, int checked, List<Violation> violations) {

    public Verdict {
        violations = List.copyOf(violations);
    }

    public boolean failed() {
        return "fail".equals(status);
    }
}
