package dev.softmaxlab.experiments.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.checks.SettingException;
import dev.softmaxlab.experiments.names.NearestName;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The keys of a probe-grid config and its converter. Two sets of keys:
 * <ul>
 *   <li>the synthetic row's: {@code classes}, {@code logitScale}, {@code confidence}, {@code seed},
 *       {@code labelProbability};</li>
 *   <li>the loss head's, taken from the train config's key table ({@link ConfigKeys}): {@code paths},
 *       {@code precision}, {@code accumulate} and every key that enters {@code LossOptions} (its
 *       {@link ConfigKeys.Key#intoLoss} is set), except {@code reduction}, which changes nothing on one row.</li>
 * </ul>
 * The loss-head keys are type-checked, defaulted and converted by {@link ConfigKeys#resolve} itself, so a loss option
 * added to that table (one {@code lossKey} line) is a probe-grid key too, with the same name, type check, default and
 * range check, and no code here.
 */
public final class ProbeGridKeys {

    /** The synthetic row's keys; their defaults are {@link #ROW_DEFAULTS}. */
    private static final List<ConfigKeys.Key> ROW_KEYS = List.of(
            rowKey("classes", ConfigKeys.Kind.INTEGER),
            rowKey("logitScale", ConfigKeys.Kind.NUMBER),
            rowKey("confidence", ConfigKeys.Kind.NUMBER),
            rowKey("seed", ConfigKeys.Kind.INTEGER),
            new ConfigKeys.Key("labelProbability", ConfigKeys.Kind.NUMBER, true, c -> null, null));

    /** The row's defaults: ten classes, unit scale, the label ahead by 1, seed 42, no placed label probability. */
    private static final ObjectNode ROW_DEFAULTS = JsonNodeFactory.instance.objectNode()
            .put("classes", 10).put("logitScale", 1.0).put("confidence", 1.0).put("seed", 42L)
            .putNull("labelProbability");

    private static final Map<String, ConfigKeys.Key> KEYS = keys();

    private ProbeGridKeys() {
    }

    /** Every key, row keys first, then the loss head's in the train config's order. */
    public static Map<String, ConfigKeys.Key> all() {
        return KEYS;
    }

    /**
     * The defaults overlaid with {@code overrides} (camelCase keys; null = none), checked.
     *
     * @throws InvalidInputException one line naming the key, the value and the fix (a {@link SettingException} for a
     *                               value out of range, naming its key)
     */
    public static ProbeGridConfig resolve(JsonNode overrides) {
        ObjectNode row = ROW_DEFAULTS.deepCopy();
        ObjectNode head = JsonNodeFactory.instance.objectNode();
        if (overrides != null && !overrides.isNull()) {
            if (!overrides.isObject()) {
                throw new InvalidInputException("a probe-grid config must be a JSON object of options, not "
                        + overrides.getNodeType().toString().toLowerCase(Locale.ROOT) + " (e.g. {\"classes\": 10})");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = overrides.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                ConfigKeys.Key key = KEYS.get(f.getKey());
                if (key == null) {
                    throw new InvalidInputException("unknown probe-grid option '" + f.getKey() + "'"
                            + NearestName.hint(f.getKey(), KEYS.keySet()) + "; options are "
                            + String.join(", ", KEYS.keySet()));
                }
                if (ROW_DEFAULTS.has(key.name())) {
                    if (f.getValue().isNull()) {
                        continue; // the default
                    }
                    ConfigKeys.typeProblem(key, f.getValue()).ifPresent(p -> {
                        throw new SettingException(key.name(), p.message());
                    });
                    row.set(key.name(), f.getValue());
                } else {
                    head.set(key.name(), f.getValue());
                }
            }
        }
        return new ProbeGridConfig(row.get("classes").intValue(), row.get("logitScale").doubleValue(),
                row.get("confidence").doubleValue(), row.get("seed").longValue(),
                row.get("labelProbability").isNull() ? null : row.get("labelProbability").doubleValue(),
                ConfigKeys.resolve(head));
    }

    /** Every key, in {@link #all} order. */
    static ObjectNode toJson(ProbeGridConfig c) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("classes", c.classes()).put("logitScale", c.logitScale()).put("confidence", c.confidence())
                .put("seed", c.seed()).put("labelProbability", c.labelProbability());
        ObjectNode head = ConfigKeys.toJson(c.head());
        for (String k : KEYS.keySet()) {
            if (!o.has(k)) {
                o.set(k, head.get(k));
            }
        }
        return o;
    }

    private static Map<String, ConfigKeys.Key> keys() {
        Map<String, ConfigKeys.Key> m = new LinkedHashMap<>();
        ROW_KEYS.forEach(k -> m.put(k.name(), k));
        for (ConfigKeys.Key k : ConfigKeys.all()) {
            boolean head = List.of("paths", "precision", "accumulate").contains(k.name())
                    || k.intoLoss() != null && !k.name().equals("reduction");
            if (head) {
                m.put(k.name(), k);
            }
        }
        return Collections.unmodifiableMap(m);
    }

    private static ConfigKeys.Key rowKey(String name, ConfigKeys.Kind kind) {
        return new ConfigKeys.Key(name, kind, false, c -> null, null); // read by toJson, not from a TrainConfig
    }

    /** For messages: the keys as a list. */
    public static List<String> names() {
        return new ArrayList<>(KEYS.keySet());
    }
}
