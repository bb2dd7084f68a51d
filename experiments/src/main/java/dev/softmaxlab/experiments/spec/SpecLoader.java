package dev.softmaxlab.experiments.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.experiments.io.BoundedInput;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.report.JsonErrors;
import dev.softmaxlab.experiments.names.NearestName;
import dev.softmaxlab.experiments.checks.Needs;
import dev.softmaxlab.experiments.checks.SettingException;
import dev.softmaxlab.experiments.config.ConfigKeys;
import dev.softmaxlab.experiments.config.RunConfig;
import dev.softmaxlab.experiments.config.TrainConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a spec and checks everything that can be checked without running it: JSON syntax (with line and column),
 * the document's keys, every option's name (suggesting the nearest) and type, empty axes, zip groups of unequal
 * length, configs that do not resolve, grid points that duplicate each other, and expectations that cannot hold
 * (unknown metric, a comparison on a text metric, a {@code where} that matches no run of the grid). Every problem is
 * located by its JSON path.
 */
public final class SpecLoader {

    private static final List<String> TOP_KEYS = List.of("schema", "kind", "name", "description", "base", "grid", "expect");
    private static final List<String> EXPECTATION_KEYS = List.of("where", "metric", "vs", "ifNull", "description");
    private static final List<String> ROW_KEYS = List.of("path", "precision");
    private static final int MAX_RESOLVE_PROBLEMS = 5;
    /** More grid points than this is almost surely a mistake (and each is a training run). */
    public static final int MAX_GRID_POINTS = 100_000;

    /** What loading found: the spec when there were no problems, else the problems. */
    public record Result(ExperimentSpec spec, List<SpecProblem> problems) {
        public Result {
            problems = List.copyOf(problems);
        }

        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private final List<SpecProblem> problems = new ArrayList<>();
    /**
     * Whether to refuse expectations that can never hold. A spec's expectation that can never hold is a mistake; a
     * {@code --fail-on} gate is the same expectation read the other way round, and one that can never hold is a gate
     * that fires on every run, which is what its user wrote ({@link #gate}).
     */
    private boolean refuseUnsatisfiable = true;
    /** The spec's {@code kind}: which keys, config and metrics it has. */
    private SpecKind kind = SpecKind.TRAIN;
    /** Where each grid key is varied: {@code $.grid.lr} or {@code $.grid.zip[0].lr}. */
    private final Map<String, String> axisAt = new HashMap<>();

    private SpecLoader() {
    }

    /** Loads a spec file; an invalid spec throws {@link InvalidSpecException} naming the file. */
    public static ExperimentSpec load(Path file) throws IOException {
        return orThrow(check(BoundedInput.readText(file, "spec " + file)), file.toString());
    }

    /** Loads a spec from its text; {@code source} names it in messages. */
    public static ExperimentSpec parse(String text, String source) {
        return orThrow(check(text), source);
    }

    /** Loads an already parsed spec document (as kept in a sweep summary). */
    public static ExperimentSpec fromDocument(JsonNode document, String source) {
        SpecLoader l = new SpecLoader();
        return orThrow(new Result(l.read(document), l.problems), source);
    }

    /** Every problem of a spec text, or the spec. */
    public static Result check(String text) {
        SpecLoader l = new SpecLoader();
        JsonNode doc;
        try {
            doc = Json.mapper().reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).readTree(text);
        } catch (JsonProcessingException e) {
            JsonErrors.Problem p = JsonErrors.describe(e);
            return new Result(null, List.of(new SpecProblem(p.where() == null ? "$" : p.where(),
                    "not valid JSON: " + p.message())));
        }
        if (doc == null || doc.isMissingNode()) {
            return new Result(null, List.of(new SpecProblem("line 1, column 1", "the file is empty; a spec is a JSON object")));
        }
        ExperimentSpec spec = l.read(doc);
        return new Result(l.problems.isEmpty() ? spec : null, l.problems);
    }

    /**
     * Reads one expectation alone, as a {@code --fail-on} gate spells it: the same keys, checks and metric names as
     * in a spec's {@code expect}, checked by the same code, except that one that can never hold is allowed (the gate
     * then fires on every run).
     *
     * @throws InvalidSpecException listing its problems, located under {@code $}
     */
    public static Expectation gate(ObjectNode expectation, String source) {
        SpecLoader l = new SpecLoader();
        l.refuseUnsatisfiable = false;
        Expectation e = l.readExpectation(0, expectation, List.of(), "$");
        if (!l.problems.isEmpty()) {
            throw new InvalidSpecException(source, l.problems);
        }
        return e;
    }

    private static ExperimentSpec orThrow(Result r, String source) {
        if (!r.ok()) {
            throw new InvalidSpecException(source, r.problems());
        }
        return r.spec();
    }

    private void problem(String where, String message) {
        problems.add(new SpecProblem(where, message));
    }

    private ExperimentSpec read(JsonNode doc) {
        if (!doc.isObject()) {
            problem("$", "a spec is a JSON object, got " + TrainOptions.describe(doc));
            return null;
        }
        for (Iterator<String> it = doc.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!TOP_KEYS.contains(k)) {
                problem("$." + k, "unknown key '" + k + "'" + NearestName.hint(k, TOP_KEYS)
                        + "; a spec has " + String.join(", ", TOP_KEYS));
            }
        }
        JsonNode schema = doc.get("schema");
        if (schema == null) {
            problem("$.schema", "missing: add \"schema\":\"" + ExperimentSpec.SCHEMA + "\"");
        } else if (!schema.isTextual() || !schema.textValue().equals(ExperimentSpec.SCHEMA)) {
            problem("$.schema", "is " + schema + ", this tool reads \"" + ExperimentSpec.SCHEMA + "\"");
        }
        JsonNode kindNode = doc.get("kind");
        if (kindNode != null) {
            if (!kindNode.isTextual() || !SpecKind.IDS.contains(kindNode.textValue())) {
                problem("$.kind", "must be one of " + String.join(", ", SpecKind.IDS) + " (train runs a model per grid "
                        + "point, probe evaluates a synthetic logit row), got " + TrainOptions.describe(kindNode));
            } else {
                kind = SpecKind.fromId(kindNode.textValue());
            }
        }
        String name = text(doc, "name");
        String description = text(doc, "description");

        // one pass: a key whose name or type is wrong is reported and left out, and the rest is still resolved, so
        // every problem is found at once, each at its own path
        ObjectNode base = JsonNodeFactory.instance.objectNode();
        JsonNode baseNode = doc.get("base");
        if (baseNode != null) {
            if (!baseNode.isObject()) {
                problem("$.base", "must be an object of train options, got " + TrainOptions.describe(baseNode));
            } else {
                for (Iterator<Map.Entry<String, JsonNode>> it = baseNode.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String path = "$.base." + e.getKey();
                    if (option(e.getKey(), path) != null) {
                        var p = TrainOptions.check(kind.options().get(e.getKey()), e.getValue(), path);
                        p.ifPresent(problems::add);
                        if (p.isEmpty()) {
                            base.set(e.getKey(), e.getValue());
                        }
                    }
                }
            }
        }
        Grid grid = readGrid(doc.get("grid"));
        boolean complete = problems.isEmpty();
        // saturating: a product of axis sizes past a long must not wrap round to a small or negative size
        long size = 1;
        for (Grid.AxisGroup g : grid.groups()) {
            size = g.size() != 0 && size > Long.MAX_VALUE / g.size() ? Long.MAX_VALUE : size * g.size();
        }
        if (size > MAX_GRID_POINTS) {
            problem("$.grid", "the grid has " + (size == Long.MAX_VALUE ? "more than 9.2e18" : size)
                    + " points, more than " + MAX_GRID_POINTS + " training runs; use fewer values or split the spec");
            return null;
        }
        List<ResultRow> rows = resolveAll(base, grid);
        // a grid left incomplete by a problem above cannot tell whether a where matches no run
        List<Expectation> expect = readExpectations(doc.get("expect"), complete ? rows : List.of());
        if (!problems.isEmpty()) {
            return null;
        }
        return new ExperimentSpec(name, description, ((ObjectNode) doc).deepCopy(), base.deepCopy(), grid, expect,
                CanonicalJson.sha256(doc), kind);
    }

    private String text(JsonNode doc, String key) {
        JsonNode v = doc.get(key);
        if (v == null) {
            problem("$." + key, "missing: add a \"" + key + "\" string");
            return null;
        }
        if (!v.isTextual() || v.textValue().isBlank()) {
            problem("$." + key, "must be a non-empty string, got " + TrainOptions.describe(v));
            return null;
        }
        return v.textValue();
    }

    /** The option named {@code key}, or null after reporting it as unknown. */
    private TrainOptions.Option option(String key, String path) {
        TrainOptions.Option o = kind.options().get(key);
        if (o == null) {
            problem(path, kind == SpecKind.TRAIN
                    ? "unknown train option '" + key + "'" + NearestName.hint(key, kind.options().keySet())
                            + "; keys are the train flags' long names in camelCase (--logit-scale is logitScale)"
                    : "unknown probe option '" + key + "'" + NearestName.hint(key, kind.options().keySet())
                            + "; a probe spec's keys are " + String.join(", ", kind.options().keySet()));
        }
        return o;
    }

    private Grid readGrid(JsonNode grid) {
        List<Grid.AxisGroup> groups = new ArrayList<>();
        if (grid == null) {
            return new Grid(groups);
        }
        if (!grid.isObject()) {
            problem("$.grid", "must be an object of axes such as {\"lr\":[0.1, 1.0]}, got " + TrainOptions.describe(grid));
            return new Grid(groups);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = grid.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("zip")) {
                readZip(e.getValue(), axisAt, groups);
                continue;
            }
            String path = "$.grid." + e.getKey();
            List<JsonNode> values = axis(e.getKey(), e.getValue(), path, axisAt);
            if (values != null) {
                groups.add(new Grid.AxisGroup(List.of(e.getKey()), List.of(values)));
            }
        }
        return new Grid(groups);
    }

    private void readZip(JsonNode zip, Map<String, String> axisAt, List<Grid.AxisGroup> groups) {
        if (!zip.isArray()) {
            problem("$.grid.zip", "must be an array of groups such as [{\"lr\":[0.1,1],\"momentum\":[0.9,0]}], got "
                    + TrainOptions.describe(zip));
            return;
        }
        for (int g = 0; g < zip.size(); g++) {
            String gpath = "$.grid.zip[" + g + "]";
            JsonNode group = zip.get(g);
            if (!group.isObject() || group.isEmpty()) {
                problem(gpath, "must be a non-empty object of axes that vary together, got " + TrainOptions.describe(group));
                continue;
            }
            List<String> keys = new ArrayList<>();
            List<List<JsonNode>> values = new ArrayList<>();
            boolean ok = true;
            for (Iterator<Map.Entry<String, JsonNode>> it = group.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                List<JsonNode> v = axis(e.getKey(), e.getValue(), gpath + "." + e.getKey(), axisAt);
                if (v == null) {
                    ok = false;
                } else {
                    keys.add(e.getKey());
                    values.add(v);
                }
            }
            if (!ok) {
                continue;
            }
            Set<Integer> lengths = new LinkedHashSet<>();
            values.forEach(v -> lengths.add(v.size()));
            if (lengths.size() > 1) {
                StringBuilder b = new StringBuilder("zip axes vary together and need equal lengths, got ");
                for (int k = 0; k < keys.size(); k++) {
                    b.append(k == 0 ? "" : ", ").append(keys.get(k)).append(": ").append(values.get(k).size());
                }
                problem(gpath, b.toString());
                continue;
            }
            groups.add(new Grid.AxisGroup(keys, values));
        }
    }

    /** One axis's values, checked; null after reporting a problem. */
    private List<JsonNode> axis(String key, JsonNode values, String path, Map<String, String> axisAt) {
        TrainOptions.Option o = option(key, path);
        if (o == null) {
            return null;
        }
        String earlier = axisAt.putIfAbsent(key, path);
        if (earlier != null) {
            problem(path, key + " is already varied at " + earlier + "; an option can be on one axis only");
            return null;
        }
        if (!values.isArray()) {
            String hint = o.kind().list()
                    ? " (an axis of a list option is an array of arrays, such as [[\"fp32\"],[\"fp16\"]])" : "";
            problem(path, "an axis is an array of values, got " + TrainOptions.describe(values) + hint);
            return null;
        }
        if (values.isEmpty()) {
            problem(path, "empty axis: give at least one value (an empty axis would make an empty grid)");
            return null;
        }
        boolean ok = true;
        List<JsonNode> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            var p = TrainOptions.check(o, values.get(i), path + "[" + i + "]");
            if (p.isPresent()) {
                problems.add(p.get());
                ok = false;
            }
            out.add(values.get(i));
        }
        return ok ? out : null;
    }

    /**
     * Resolves every point (the settings records' own checks: unknown dataset, lr ≤ 0, ...), each problem located at
     * the value that causes it ({@code $.grid.lr[1]}, {@code $.base.paths[0]}); reports points that give the same
     * config and keys that change nothing in any run; returns the result rows the grid will produce (for checking
     * {@code where}s).
     */
    private List<ResultRow> resolveAll(ObjectNode base, Grid grid) {
        List<ResultRow> rows = new ArrayList<>();
        Map<RunConfig, Integer> seen = new HashMap<>();
        Set<String> reported = new LinkedHashSet<>();
        int generic = 0;
        // key -> whether it changed something in some run, and the reason it did not in the first run it did not
        Map<String, Boolean> applies = new LinkedHashMap<>();
        Map<String, String> inapplicable = new HashMap<>();
        List<ObjectNode> points = grid.points();
        for (int i = 0; i < points.size(); i++) {
            ObjectNode point = points.get(i);
            RunConfig config;
            try {
                config = kind.resolve(ExperimentSpec.overrides(base, point));
            } catch (SettingException e) {
                String where = locate(e, base, grid, i);
                if (where != null) {
                    if (reported.add(where + "\u0000" + e.getMessage())) {
                        problem(where, e.getMessage());
                    }
                } else if (reported.add(e.getMessage()) && ++generic <= MAX_RESOLVE_PROBLEMS) {
                    problem(point.isEmpty() ? "$.base" : "$.grid", "grid point " + i + " " + point
                            + " is not a valid " + kind.id() + " config: " + e.getMessage());
                }
                continue;
            } catch (IllegalArgumentException e) {
                if (reported.add(e.getMessage()) && ++generic <= MAX_RESOLVE_PROBLEMS) {
                    problem(point.isEmpty() ? "$.base" : "$.grid", "grid point " + i + " " + point
                            + " is not a valid " + kind.id() + " config: " + e.getMessage());
                }
                continue;
            }
            Set<String> given = new LinkedHashSet<>(); // a null asks for the default: it sets nothing
            base.fields().forEachRemaining(f -> {
                if (!f.getValue().isNull()) {
                    given.add(f.getKey());
                }
            });
            point.fields().forEachRemaining(f -> {
                if (!f.getValue().isNull()) {
                    given.add(f.getKey());
                }
            });
            TrainConfig train = config instanceof TrainConfig t ? t : null; // a probe row has no such rules
            for (String key : train == null ? Set.<String>of() : given) {
                Needs needs = ConfigKeys.needs(train, key);
                applies.merge(key, needs == null, Boolean::logicalOr);
                if (needs != null) {
                    inapplicable.putIfAbsent(key, ConfigKeys.inapplicableMessage(train, key, needs, k -> k));
                }
            }
            Integer earlier = seen.putIfAbsent(config, i);
            if (earlier != null) {
                problem("$.grid", "grid points " + earlier + " " + points.get(earlier) + " and " + i + " " + point
                        + " resolve to the same config; remove the duplicate value");
                continue;
            }
            ObjectNode configJson = config.toJson();
            for (var path : config.paths()) {
                for (var precision : config.precision()) {
                    rows.add(new ResultRow("", point, configJson, path.id(), precision.id(), null));
                }
            }
        }
        applies.forEach((key, any) -> {
            if (!any) {
                String at = axisAt.containsKey(key) ? axisAt.get(key) : "$.base." + key;
                problem(at, (axisAt.containsKey(key) ? "this axis changes nothing: " : "") + inapplicable.get(key));
            }
        });
        return rows;
    }

    /**
     * The JSON path of the value a setting failure is about: the grid value of point {@code index} when the key is
     * varied, else the base's; with the element for a list key. Null when neither spec part gave the key (a default
     * that clashes with them).
     */
    private String locate(SettingException e, ObjectNode base, Grid grid, int index) {
        String key = e.key();
        String element = e.element() >= 0 ? "[" + e.element() + "]" : "";
        String axis = axisAt.get(key);
        if (axis != null) {
            Integer step = grid.valueIndex(index, key);
            JsonNode value = grid.point(index).get(key);
            return axis + "[" + step + "]" + (value != null && value.isArray() ? element : "");
        }
        if (base.has(key)) {
            return "$.base." + key + (base.get(key).isArray() ? element : "");
        }
        return null;
    }

    private List<Expectation> readExpectations(JsonNode expect, List<ResultRow> rows) {
        List<Expectation> out = new ArrayList<>();
        if (expect == null) {
            return out;
        }
        if (!expect.isArray()) {
            problem("$.expect", "must be an array of expectations, got " + TrainOptions.describe(expect));
            return out;
        }
        for (int i = 0; i < expect.size(); i++) {
            Expectation e = readExpectation(i, expect.get(i), rows, "$.expect[" + i + "]");
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    private Expectation readExpectation(int index, JsonNode node, List<ResultRow> rows, String path) {
        if (!node.isObject()) {
            problem(path, "an expectation is an object such as {\"where\":{\"path\":\"fused\"},"
                    + "\"metric\":\"totalNonFinite\",\"equals\":0}, got " + TrainOptions.describe(node));
            return null;
        }
        int before = problems.size();
        List<String> known = new ArrayList<>(EXPECTATION_KEYS);
        known.addAll(Check.KEYS);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                problem(path + "." + k, "unknown key '" + k + "'" + NearestName.hint(k, known)
                        + "; an expectation has where, metric, vs, description and checks " + String.join(", ", Check.KEYS));
            }
        }
        Metrics.Metric metric = null;
        JsonNode m = node.get("metric");
        if (m == null || !m.isTextual()) {
            problem(path + ".metric", m == null ? "missing: name the summary metric to check, such as \"totalNonFinite\""
                    : "must be a metric name, got " + TrainOptions.describe(m));
        } else {
            metric = Metrics.of(kind).get(m.textValue());
            if (metric == null) {
                problem(path + ".metric", "unknown metric '" + m.textValue() + "'"
                        + NearestName.hint(m.textValue(), Metrics.of(kind).keySet()) + "; metrics are "
                        + String.join(", ", Metrics.of(kind).keySet()));
            }
        }
        JsonNode d = node.get("description");
        if (d != null && !d.isTextual()) {
            problem(path + ".description", "must be a string, got " + TrainOptions.describe(d));
        }
        List<Check> checks = new ArrayList<>();
        for (String key : Check.KEYS) {
            JsonNode operand = node.get(key);
            if (operand != null) {
                checks.add(new Check(key, operand));
                if (metric != null) {
                    checkOperand(metric, key, operand, path + "." + key);
                }
            }
        }
        if (checks.isEmpty()) {
            problem(path, "no check: add one of " + String.join(", ", Check.KEYS));
        }
        boolean nullPasses = false;
        JsonNode ifNull = node.get("ifNull");
        if (ifNull != null) {
            if (!ifNull.isTextual() || !Expectation.IF_NULL.contains(ifNull.textValue())) {
                problem(path + ".ifNull", "takes \"pass\" or \"fail\" (what a null value does to the checks), got "
                        + TrainOptions.describe(ifNull));
            } else if (node.has("isNull") || node.has("notNull")) {
                problem(path + ".ifNull", "isNull and notNull already say what a null does: drop ifNull, or check "
                        + "the value with equals, ne, finite, gte, lte, gt or lt");
            } else {
                nullPasses = ifNull.textValue().equals("pass");
            }
        }
        Map<String, Condition> where = readWhere(node.get("where"), path + ".where");
        Map<String, JsonNode> vs = readVs(node.get("vs"), path + ".vs", metric, checks);
        if (problems.size() == before && refuseUnsatisfiable) {
            checkSatisfiable(metric, checks, vs.isEmpty(), path);
        }
        if (problems.size() > before) {
            return null;
        }
        Expectation e = new Expectation(index, (ObjectNode) node.deepCopy(), where, metric.name(), checks, vs,
                nullPasses);
        if (!rows.isEmpty() && rows.stream().noneMatch(e::selects)) {
            problem(path + ".where", "matches no run of the grid: check its values against base and grid, and "
                    + "path/precision against the runs' paths and precision");
            return null;
        }
        if (!vs.isEmpty()) {
            for (ResultRow r : rows) {
                if (e.selects(r) && e.baseline(r, rows) == null) {
                    problem(path + ".vs", "no baseline for the " + r.path() + "@" + r.precision() + " run at grid point "
                            + r.point() + ": the grid has no run with " + node.get("vs") + " and otherwise the same config");
                    return null;
                }
            }
        }
        return e;
    }

    /**
     * Reports checks that no value satisfies together: bounds that leave an empty interval ({@code gte 5} with
     * {@code lte 1}), a bound outside the metric's range when it is read directly (accuracies lie in [0, 1], counts
     * and steps are finite and ≥ 0; with {@code vs} the checks read a difference, so only the interval is checked),
     * or a required null compared as a number. Each check is valid alone (see {@link #checkOperand}).
     */
    private void checkSatisfiable(Metrics.Metric metric, List<Check> checks, boolean direct, String path) {
        if (metric.kind() != Metrics.Kind.NUMBER) {
            return;
        }
        double lo = Double.NEGATIVE_INFINITY;
        double hi = Double.POSITIVE_INFINITY;
        boolean loStrict = false;
        boolean hiStrict = false;
        boolean wantsNull = false;
        List<Check> numeric = new ArrayList<>();
        for (Check c : checks) {
            JsonNode v = c.operand();
            switch (c.key()) {
                case "isNull", "notNull" -> wantsNull |= c.key().equals("isNull") == v.booleanValue();
                case "finite" -> {
                    if (v.booleanValue()) {
                        numeric.add(c);
                    }
                }
                case "ne" -> numeric.add(c); // excludes one point; checked against a one-point interval below
                case "equals" -> {
                    if (v.isNull()) {
                        continue;
                    }
                    double x = JsonValues.number(v).orElse(Double.NaN);
                    if (Double.isNaN(x)) {
                        return; // NaN satisfies no comparison; leave such specs to their verdicts
                    }
                    numeric.add(c);
                    if (x > lo || x == lo && loStrict) {
                        lo = x;
                        loStrict = false;
                    }
                    if (x < hi || x == hi && hiStrict) {
                        hi = x;
                        hiStrict = false;
                    }
                }
                default -> {
                    double x = v.doubleValue();
                    numeric.add(c);
                    boolean strict = c.key().equals("gt") || c.key().equals("lt");
                    if (c.key().startsWith("g")) {
                        if (x > lo || x == lo && strict) {
                            lo = x;
                            loStrict = strict;
                        }
                    } else if (x < hi || x == hi && strict) {
                        hi = x;
                        hiStrict = strict;
                    }
                }
            }
        }
        if (wantsNull && !numeric.isEmpty()) {
            Check first = numeric.get(0);
            problem(path, "can never hold: a null is not " + (first.key().equals("finite") ? "a finite number"
                    : first.describe().replace("= ", "equal to ")));
            return;
        }
        boolean pointExcluded = false;
        for (Check c : numeric) {
            pointExcluded |= c.key().equals("ne") && lo == hi && c.operand().doubleValue() == lo;
        }
        if (lo > hi || lo == hi && (loStrict || hiStrict) || pointExcluded) {
            List<String> said = new ArrayList<>();
            for (Check c : numeric) {
                if (!c.key().equals("finite")) {
                    said.add(c.describe());
                }
            }
            problem(path, "can never hold: no value is " + String.join(" and ", said));
            return;
        }
        if (!direct || wantsNull || kind != SpecKind.TRAIN) {
            return; // the ranges below are the training summary's
        }
        String name = metric.name();
        if (name.endsWith("Accuracy")) {
            if (lo > 1 || hi < 0 || lo == 1 && loStrict || hi == 0 && hiStrict) {
                problem(path, "can never hold: " + name + " is in [0, 1]");
            }
        } else if (!name.endsWith("Loss")) {
            if (lo > Double.MAX_VALUE || hi < 0 || hi == 0 && hiStrict) {
                problem(path, "can never hold: " + name + " is a finite count ≥ 0");
            }
        }
    }

    /** Reports a check that can never hold on this metric. */
    private void checkOperand(Metrics.Metric metric, String key, JsonNode operand, String path) {
        boolean text = metric.kind() == Metrics.Kind.TEXT;
        switch (key) {
            case "notNull", "isNull", "finite" -> {
                if (!operand.isBoolean()) {
                    problem(path, key + " takes true or false, got " + TrainOptions.describe(operand));
                } else if (key.equals("finite") && text) {
                    problem(path, metric.name() + " is text, it cannot be finite or not");
                } else if (!key.equals("finite") && !metric.nullable()
                        && key.equals("isNull") == operand.booleanValue()) {
                    problem(path, "can never hold: " + metric.name() + " is never null");
                }
            }
            case "equals" -> {
                if (text) {
                    if (!operand.isTextual() || !Metrics.STATUSES.contains(operand.textValue())) {
                        problem(path, "can never hold: " + metric.name() + " is one of " + Metrics.STATUSES
                                + ", got " + TrainOptions.describe(operand));
                    }
                } else if (!(operand.isNumber() || (operand.isNull() && metric.nullable())
                        || JsonValues.number(operand).isPresent())) {
                    problem(path, "can never hold: " + metric.name() + " is a number, got " + TrainOptions.describe(operand));
                }
            }
            default -> {
                if (text) {
                    problem(path, "can never hold: " + key + " compares numbers and " + metric.name() + " is text");
                } else if (!operand.isNumber()) {
                    problem(path, key + " takes a number, got " + TrainOptions.describe(operand));
                }
            }
        }
    }

    /** The baseline values of a {@code vs}; the checks then compare differences, so they must be numeric. */
    private Map<String, JsonNode> readVs(JsonNode vs, String path, Metrics.Metric metric, List<Check> checks) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (vs == null) {
            return out;
        }
        if (!vs.isObject() || vs.isEmpty()) {
            problem(path, "must be a non-empty object naming the baseline, such as {\"accumulate\":\"fp32\"}, got "
                    + TrainOptions.describe(vs));
            return out;
        }
        if (metric != null && metric.kind() != Metrics.Kind.NUMBER) {
            problem(path, "vs compares differences and " + metric.name() + " is not a number");
        }
        for (Check c : checks) {
            if (!List.of("equals", "ne", "gte", "lte", "gt", "lt").contains(c.key()) || !c.operand().isNumber()) {
                problem(path, "with vs, the checks compare the difference to a number (equals, ne, gte, lte, gt, lt), got "
                        + c.key() + ": " + c.operand());
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = vs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String kpath = path + "." + e.getKey();
            TrainOptions.Option option = ROW_KEYS.contains(e.getKey())
                    ? new TrainOptions.Option(e.getKey(), ConfigKeys.Kind.TEXT, false)
                    : kind.options().get(e.getKey());
            if (option == null) {
                List<String> keys = new ArrayList<>(ROW_KEYS);
                keys.addAll(kind.options().keySet());
                problem(kpath, "unknown vs key '" + e.getKey() + "'" + NearestName.hint(e.getKey(), keys)
                        + "; vs names the baseline by path, precision or a train option");
                continue;
            }
            TrainOptions.check(option, e.getValue(), kpath).ifPresent(problems::add);
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    private Map<String, Condition> readWhere(JsonNode where, String path) {
        Map<String, Condition> out = new LinkedHashMap<>();
        if (where == null) {
            return out;
        }
        if (!where.isObject()) {
            problem(path, "must be an object such as {\"path\":\"fused\",\"logitScale\":{\"gte\":100}}, got "
                    + TrainOptions.describe(where));
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = where.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            String kpath = path + "." + key;
            TrainOptions.Option option;
            if (ROW_KEYS.contains(key)) {
                option = new TrainOptions.Option(key, ConfigKeys.Kind.TEXT, false);
            } else {
                option = kind.options().get(key);
                if (option == null) {
                    List<String> keys = new ArrayList<>(ROW_KEYS);
                    keys.addAll(kind.options().keySet());
                    problem(kpath, "unknown where key '" + key + "'" + NearestName.hint(key, keys)
                            + "; where selects by path, precision or a train option");
                    continue;
                }
            }
            Condition c = condition(option, e.getValue(), kpath);
            if (c != null) {
                out.put(key, c);
            }
        }
        return out;
    }

    private Condition condition(TrainOptions.Option option, JsonNode value, String path) {
        if (!value.isObject()) {
            return TrainOptions.check(option, value, path).map(p -> {
                problems.add(p);
                return (Condition) null;
            }).orElseGet(() -> new Condition(value, null, Map.of()));
        }
        JsonNode equals = null;
        List<JsonNode> in = null;
        Map<Comparison, Double> comparisons = new EnumMap<>(Comparison.class);
        int before = problems.size();
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String op = e.getKey();
            String opath = path + "." + op;
            Comparison c = Comparison.byKey(op);
            if (c != null) {
                if (!option.kind().numeric()) {
                    problem(opath, "can never hold: " + op + " compares numbers and " + option.key() + " is not a number");
                } else if (!e.getValue().isNumber()) {
                    problem(opath, op + " takes a number, got " + TrainOptions.describe(e.getValue()));
                } else {
                    comparisons.put(c, e.getValue().doubleValue());
                }
            } else if (op.equals("equals")) {
                TrainOptions.check(option, e.getValue(), opath).ifPresent(problems::add);
                equals = e.getValue();
            } else if (op.equals("in")) {
                if (!e.getValue().isArray() || e.getValue().isEmpty()) {
                    problem(opath, "in takes a non-empty array of values, got " + TrainOptions.describe(e.getValue()));
                } else {
                    in = new ArrayList<>();
                    for (int i = 0; i < e.getValue().size(); i++) {
                        TrainOptions.check(option, e.getValue().get(i), opath + "[" + i + "]").ifPresent(problems::add);
                        in.add(e.getValue().get(i));
                    }
                }
            } else {
                List<String> ops = List.of("equals", "in", "gte", "lte", "gt", "lt");
                problem(opath, "unknown condition '" + op + "'" + NearestName.hint(op, ops) + "; conditions are "
                        + String.join(", ", ops));
            }
        }
        if (value.isEmpty()) {
            problem(path, "an empty condition object: give a value, or one of equals, in, gte, lte, gt, lt");
        }
        return problems.size() > before ? null : new Condition(equals, in, comparisons);
    }
}
