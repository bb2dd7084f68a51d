package dev.softmaxlab.experiments.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VegaLiteTest {

    @Test
    void aLineIsSplitAtNonFiniteValuesAndItsEndIsACross() {
        Series s = new Series("separate@fp16", "separate", "fp16", new double[] {1, 2, 3, 4, 5},
                new double[] {1, 2, Double.NaN, 4, Double.POSITIVE_INFINITY});
        LineChart c = new LineChart("loss", "Loss", "", Axis.linear("step (updates)"), Axis.log("loss (nats)"),
                List.of(s), List.of(new LineChart.Mark("separate@fp16", 3, "first non-finite at step 3")), List.of());
        JsonNode spec = VegaLite.spec(c);
        assertEquals("https://vega.github.io/schema/vega-lite/v5.json", spec.get("$schema").asText());
        JsonNode values = spec.get("layer").get(0).get("data").get("values");
        List<String> segments = new ArrayList<>();
        List<Double> xs = new ArrayList<>();
        values.forEach(v -> {
            segments.add(v.get("segment").asText());
            xs.add(v.get("x").asDouble());
        });
        // the finite points only, in two pieces: 1-2 and 4
        assertEquals(List.of(1.0, 2.0, 4.0), xs);
        assertEquals(List.of("separate@fp16#0", "separate@fp16#0", "separate@fp16#1"), segments);
        JsonNode ends = spec.get("layer").get(1).get("data").get("values");
        assertEquals(2, ends.size());
        assertEquals("NaN", ends.get(0).get("next").asText());
        assertEquals(2.0, ends.get(0).get("x").asDouble());
        assertEquals("+∞", ends.get(1).get("next").asText());
        assertEquals(3.0, spec.get("layer").get(2).get("data").get("values").get(0).get("x").asDouble());
        // the same colour as the SVG
        assertEquals(Palette.colourHex("separate"),
                spec.get("layer").get(0).get("encoding").get("color").get("scale").get("range").get(0).asText());
        assertEquals("log", spec.get("layer").get(0).get("encoding").get("y").get("scale").get("type").asText());
    }
}
