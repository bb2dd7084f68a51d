package dev.softmaxlab.experiments.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings a spec varies: axis groups in the order the spec writes them. A plain axis is a group of one key; a
 * {@code zip} group varies its keys together. The points are the Cartesian product of the groups, the first group
 * varying slowest (as nested loops written in the spec's order), so the order is the same on every machine.
 */
public record Grid(List<AxisGroup> groups) {

    /** Keys that vary together: {@code values.get(k).get(i)} is key k's value at the group's i-th step. */
    public record AxisGroup(List<String> keys, List<List<JsonNode>> values) {

        public AxisGroup {
            keys = List.copyOf(keys);
            values = values.stream().map(List::copyOf).toList();
        }

        public int size() {
            return values.isEmpty() ? 1 : values.get(0).size();
        }
    }

    public Grid {
        groups = List.copyOf(groups);
    }

    /** The number of points: the product of the group sizes (1 for an empty grid). */
    public int size() {
        int n = 1;
        for (AxisGroup g : groups) {
            n = Math.multiplyExact(n, g.size());
        }
        return n;
    }

    /** Every point, in grid order: point i holds each varied key with its value. */
    public List<ObjectNode> points() {
        int total = size();
        List<ObjectNode> points = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            points.add(point(i));
        }
        return points;
    }

    /** Which of {@code key}'s values point {@code index} takes, or null when the grid does not vary the key. */
    public Integer valueIndex(int index, String key) {
        int[] steps = steps(index);
        for (int g = 0; g < groups.size(); g++) {
            if (groups.get(g).keys().contains(key)) {
                return steps[g];
            }
        }
        return null;
    }

    /** Each group's step at point {@code index}: mixed-radix digits of the index, the last group varying fastest. */
    private int[] steps(int index) {
        int[] steps = new int[groups.size()];
        int rest = index;
        for (int g = groups.size() - 1; g >= 0; g--) {
            int n = groups.get(g).size();
            steps[g] = rest % n;
            rest /= n;
        }
        return steps;
    }

    /** Point {@code index}: mixed-radix digits of the index, the last group varying fastest. */
    public ObjectNode point(int index) {
        int[] steps = steps(index);
        ObjectNode point = JsonNodeFactory.instance.objectNode();
        for (int g = 0; g < groups.size(); g++) {
            AxisGroup group = groups.get(g);
            for (int k = 0; k < group.keys().size(); k++) {
                point.set(group.keys().get(k), group.values().get(k).get(steps[g]).deepCopy());
            }
        }
        return point;
    }
}
