package dev.softmaxlab.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.spec.CanonicalJson;
import dev.softmaxlab.experiments.config.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RunIdTest {

    @Test
    void idDoesNotDependOnKeyOrder() throws Exception {
        var a = Json.mapper().readTree("{\"lr\":0.5,\"seed\":3,\"paths\":[\"fused\"],\"x\":{\"b\":1,\"a\":2}}");
        var b = Json.mapper().readTree("{\"x\":{\"a\":2,\"b\":1},\"paths\":[\"fused\"],\"seed\":3,\"lr\":0.5}");
        assertEquals(RunId.of(a), RunId.of(b));
        assertEquals("{\"lr\":0.5,\"paths\":[\"fused\"],\"seed\":3,\"x\":{\"a\":2,\"b\":1}}", CanonicalJson.of(b));
        assertTrue(RunId.isValid(RunId.of(a)));
    }

    @Test
    void equalConfigsGetEqualIdsAndDifferentOnesDoNot() throws Exception {
        String one = RunId.of(TrainConfig.resolve(Json.mapper().readTree("{\"lr\":1,\"steps\":50}")).toJson());
        String same = RunId.of(TrainConfig.resolve(Json.mapper().readTree("{\"steps\":50.0,\"lr\":1.0}")).toJson());
        String other = RunId.of(TrainConfig.resolve(Json.mapper().readTree("{\"lr\":1,\"steps\":51}")).toJson());
        assertEquals(one, same);
        assertNotEquals(one, other);
        // pinned: the id of the default config must not change between versions unless the config does
        assertEquals(RunId.of(TrainConfig.DEFAULTS.toJson()), RunId.of(TrainConfig.resolve(null).toJson()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"4/3", "0/3", "a/b", "1/0", "1", "-1/3", "1/3/4", ""})
    void badShardsAreUserErrors(String text) {
        assertThrows(InvalidInputException.class, () -> Shard.parse(text));
    }

    @Test
    void goodShardsParse() {
        assertEquals(new Shard(2, 3), Shard.parse("2/3"));
        assertEquals(new Shard(3, 3), Shard.parse(" 3/3 "));
    }
}
