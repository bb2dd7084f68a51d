package dev.softmaxlab.core.loss;

import static dev.softmaxlab.core.loss.LossOption.CHUNK_CARRY;
import static dev.softmaxlab.core.loss.LossOption.CHUNK_SIZE;
import static dev.softmaxlab.core.loss.LossOption.CLASS_WEIGHTS;
import static dev.softmaxlab.core.loss.LossOption.CLIP_EPSILON;
import static dev.softmaxlab.core.loss.LossOption.IGNORE_INDEX;
import static dev.softmaxlab.core.loss.LossOption.LABEL_SMOOTHING;
import static dev.softmaxlab.core.loss.LossOption.SOFTCAP;
import static dev.softmaxlab.core.loss.LossOption.Z_LOSS;

import dev.softmaxlab.core.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The registry of paths: one line per path, with whether a run without {@code paths} includes it and which
 * options beyond the shared ones it accepts. The order of {@link #all()} is the order reports use. Help texts,
 * error messages and the JSON schemas' path enums all come from (or are held equal to) this list.
 */
public final class LossPaths {

    /** The options every path applies, each in its own way (core/NUMERICS.md, "Loss-head options"). */
    private static final Set<LossOption> SHARED = Collections.unmodifiableSet(
            EnumSet.of(LABEL_SMOOTHING, IGNORE_INDEX, CLASS_WEIGHTS, Z_LOSS, SOFTCAP));

    private record Entry(LossPath path, boolean inDefaultSet, Set<LossOption> options) {
    }

    private static final List<Entry> ENTRIES = List.of(
            entry(new FusedSoftmaxCrossEntropy(), true),
            entry(new SeparateSoftmaxCrossEntropy(), true),
            entry(new SeparateNaiveSoftmaxCrossEntropy(), true),
            entry(new SeparateClippedSoftmaxCrossEntropy(), true, CLIP_EPSILON),
            entry(new FusedChunkedSoftmaxCrossEntropy(), false, CHUNK_SIZE, CHUNK_CARRY),
            entry(new DoubleSoftmaxCrossEntropy(), false),
            entry(new FusedLowpGradSoftmaxCrossEntropy(), false));

    private static final List<LossPath> ALL = ENTRIES.stream().map(Entry::path).toList();
    private static final List<LossPath> DEFAULT_SET = ENTRIES.stream().filter(Entry::inDefaultSet)
            .map(Entry::path).toList();

    private LossPaths() {
    }

    private static Entry entry(LossPath path, boolean inDefaultSet, LossOption... own) {
        EnumSet<LossOption> options = EnumSet.copyOf(SHARED);
        Collections.addAll(options, own);
        return new Entry(path, inDefaultSet, Collections.unmodifiableSet(options));
    }

    /** Every registered path, in report order. */
    public static List<LossPath> all() {
        return ALL;
    }

    /** The paths a run evaluates when none are given: fused, separate, separate-naive, separate-clipped. */
    public static List<LossPath> defaults() {
        return DEFAULT_SET;
    }

    /** Every path id, in report order. */
    public static List<String> ids() {
        return ALL.stream().map(LossPath::id).toList();
    }

    /** @throws InvalidInputException naming the value and the valid ids */
    public static LossPath byId(String id) {
        for (LossPath p : ALL) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        throw new InvalidInputException("unknown path '" + id + "': expected one of " + String.join(", ", ids()));
    }

    /** The options the path applies. */
    public static Set<LossOption> options(LossPath path) {
        return entryOf(path).options();
    }

    /** Whether the path applies the option. */
    public static boolean accepts(LossPath path, LossOption option) {
        return entryOf(path).options().contains(option);
    }

    /**
     * The heads of a run that evaluates several paths with one set of options: each option that is set must be used
     * by at least one of the paths, and each head keeps only the options its path uses.
     *
     * @throws InvalidInputException for an option none of the paths can use, naming it, its value and the paths
     *                               that would use it
     */
    public static List<LossHead> headsFor(List<LossPath> paths, LossOptions options) {
        for (LossOption o : LossOption.values()) {
            if (options.isSet(o) && paths.stream().noneMatch(p -> accepts(p, o))) {
                throw notApplicable(o, options, paths);
            }
        }
        List<LossHead> heads = new ArrayList<>(paths.size());
        for (LossPath p : paths) {
            heads.add(new LossHead(p, optionsFor(p, options)));
        }
        return List.copyOf(heads);
    }

    /** The options with every option the path does not use back at its default. */
    public static LossOptions optionsFor(LossPath path, LossOptions options) {
        LossOptions own = options;
        for (LossOption o : LossOption.values()) {
            if (!accepts(path, o)) {
                own = own.without(o);
            }
        }
        return own;
    }

    static InvalidInputException notApplicable(LossOption option, LossOptions options, List<LossPath> paths) {
        String users = ALL.stream().filter(p -> accepts(p, option)).map(LossPath::id)
                .collect(Collectors.joining(", "));
        String given = paths.stream().map(LossPath::id).collect(Collectors.joining(", "));
        return new InvalidInputException(option.key() + " = " + options.valueText(option) + " cannot apply to "
                + (paths.size() == 1 ? "path " : "paths ") + given + ": only " + users
                + " uses it; add such a path or leave " + option.key() + " out");
    }

    private static Entry entryOf(LossPath path) {
        for (Entry e : ENTRIES) {
            if (e.path().id().equals(path.id())) {
                return e;
            }
        }
        throw new IllegalArgumentException("path " + path.id() + " is not registered in LossPaths");
    }
}
