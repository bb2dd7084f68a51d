package dev.softmaxlab.experiments.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A result row that broke an expectation: which run, which path and precision, its grid values, the actual value. */
public record Violation(String runId, String path, String precision, ObjectNode point, JsonNode actual) {
}
