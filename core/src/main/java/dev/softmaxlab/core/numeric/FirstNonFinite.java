package dev.softmaxlab.core.numeric;

/**
 * The first operation, in evaluation order, that turned finite operands into a non-finite result.
 *
 * @param op         the operation's name, e.g. {@code exp}, {@code log}, {@code div}, {@code mul}
 * @param row        the row of the batch
 * @param classIndex the class index, or -1 for a per-row operation such as a sum
 */
public record FirstNonFinite(String op, int row, int classIndex) {
}
