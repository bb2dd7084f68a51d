package dev.softmaxlab.experiments.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * What a run trained and was tested on, as loaded: so that a user sees that a CSV's first row was not lost, how many
 * features and classes it has, and which label text became which class index.
 *
 * @param rows       examples loaded, train and test together
 * @param trainRows  examples in the training split
 * @param testRows   examples in the test split
 * @param features   feature columns
 * @param classNames class index i is the label {@code classNames[i]} (for a CSV: the label texts, integers in
 *                   ascending order, other texts in order of first appearance)
 */
@JsonPropertyOrder({"rows", "trainRows", "testRows", "features", "classes", "classNames"})
public record DataSummary(int rows, int trainRows, int testRows, int features, List<String> classNames) {

    public DataSummary {
        classNames = List.copyOf(classNames);
    }

    /** The number of classes. */
    @JsonProperty("classes")
    public int classes() {
        return classNames.size();
    }
}
