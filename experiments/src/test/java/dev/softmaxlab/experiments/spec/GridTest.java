package dev.softmaxlab.experiments.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class GridTest {

    private static List<String> points(String grid) {
        // momentum and hidden only change something with their optimizer and model, which the base sets
        ExperimentSpec s = SpecLoader.parse("{\"schema\":\"softmaxlab.spec/1\",\"name\":\"g\",\"description\":\"d\","
                + "\"base\":{\"optimizer\":\"momentum\",\"model\":\"mlp\"},\"grid\":" + grid + "}", "g");
        return s.grid().points().stream().map(ObjectNode::toString).toList();
    }

    @Test
    void productVariesTheLastAxisFastestInWrittenOrder() {
        assertEquals(List.of(
                "{\"lr\":0.1,\"seed\":1}", "{\"lr\":0.1,\"seed\":2}", "{\"lr\":0.1,\"seed\":3}",
                "{\"lr\":0.2,\"seed\":1}", "{\"lr\":0.2,\"seed\":2}", "{\"lr\":0.2,\"seed\":3}"),
                points("{\"lr\":[0.1,0.2],\"seed\":[1,2,3]}"));
        assertEquals(List.of(
                "{\"seed\":1,\"lr\":0.1}", "{\"seed\":1,\"lr\":0.2}", "{\"seed\":2,\"lr\":0.1}",
                "{\"seed\":2,\"lr\":0.2}"),
                points("{\"seed\":[1,2],\"lr\":[0.1,0.2]}"));
    }

    @Test
    void zipGroupVariesItsAxesTogether() {
        assertEquals(List.of(
                "{\"seed\":1,\"lr\":0.1,\"momentum\":0.9}", "{\"seed\":1,\"lr\":0.2,\"momentum\":0.5}",
                "{\"seed\":2,\"lr\":0.1,\"momentum\":0.9}", "{\"seed\":2,\"lr\":0.2,\"momentum\":0.5}"),
                points("{\"seed\":[1,2],\"zip\":[{\"lr\":[0.1,0.2],\"momentum\":[0.9,0.5]}]}"));
    }

    @Test
    void twoZipGroupsMultiply() {
        List<String> p = points("{\"zip\":[{\"lr\":[0.1,0.2],\"momentum\":[0.9,0.5]},"
                + "{\"seed\":[1,2,3],\"steps\":[10,20,30]}]}");
        assertEquals(6, p.size());
        assertEquals("{\"lr\":0.2,\"momentum\":0.5,\"seed\":3,\"steps\":30}", p.get(5));
    }

    @Test
    void noGridIsOnePoint() {
        assertEquals(List.of("{}"), points("{}"));
    }

    @Test
    void listOptionsAreArrayValuedAxes() {
        assertEquals(List.of("{\"hidden\":[8]}", "{\"hidden\":[8,8]}"), points("{\"hidden\":[[8],[8,8]]}"));
    }

    @Test
    void orderIsTheSameOnEveryExpansion() {
        String g = "{\"lr\":[0.3,0.1,0.2],\"zip\":[{\"seed\":[5,4],\"steps\":[7,9]}],\"logitScale\":[2,1]}";
        assertEquals(points(g), points(g));
        assertEquals("{\"lr\":0.3,\"seed\":5,\"steps\":7,\"logitScale\":2}", points(g).get(0));
        assertEquals("{\"lr\":0.2,\"seed\":4,\"steps\":9,\"logitScale\":1}", points(g).get(11));
    }
}
