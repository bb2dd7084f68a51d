package dev.softmaxlab.experiments.data;

import java.util.List;

/**
 * A classification dataset in memory.
 *
 * @param name       e.g. {@code blobs}, {@code digits}, {@code csv:path/to.csv}
 * @param features   [rows, featureCount] row-major
 * @param labels     [rows], each in [0, classNames.size())
 * @param rows       N
 * @param featureCount D
 * @param classNames K names, index = label
 */
public record Dataset(String name, double[] features, int[] labels, int rows, int featureCount,
                      List<String> classNames) {

    public int classCount() {
        return classNames.size();
    }
}
