package dev.softmaxlab.experiments.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.softmaxlab.core.numeric.NumericEvent;
import dev.softmaxlab.core.numeric.NumericEvents;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class ProbeJsonTest {

    /** Strict: bare NaN/Infinity tokens are refused by default. */
    private static final JsonMapper STRICT = JsonMapper.builder().build();

    private static final ProbeCase.Fields F = new ProbeCase.Fields("", "--logits", "--label", "--target");

    /** Doubles of every kind: float-valued, subnormal, huge, tiny, integers, negative zero. */
    private static double draw(SplittableRandom r) {
        return switch (r.nextInt(6)) {
            case 0 -> (float) r.nextDouble(-1, 1);
            case 1 -> Double.longBitsToDouble(r.nextLong() & 0x000F_FFFF_FFFF_FFFFL); // subnormal or 0
            case 2 -> Double.longBitsToDouble(r.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL) * (r.nextBoolean() ? 1 : -1);
            case 3 -> r.nextDouble() * Math.pow(10, r.nextInt(-30, 30));
            case 4 -> r.nextInt(-100_000, 100_000);
            default -> -0.0;
        };
    }

    @RepeatedTest(20)
    void fastDoubleWriterRoundTripsEveryDoubleBitForBit(RepetitionInfo info) throws IOException {
        SplittableRandom r = new SplittableRandom(7_000 + info.getCurrentRepetition());
        double[] v = new double[5_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = draw(r);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = ProbeJson.generator(out)) {
            g.writeArray(v, 0, v.length);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        String[] tokens = text.substring(1, text.length() - 1).split(",");
        assertEquals(v.length, tokens.length);
        for (int i = 0; i < v.length; i++) {
            assertEquals(Double.doubleToRawLongBits(v[i]), Double.doubleToRawLongBits(Double.parseDouble(tokens[i])),
                    "value " + v[i] + " written as " + tokens[i]);
        }
    }

    @Test
    void nonFiniteNumbersAreStrings() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = ProbeJson.generator(out)) {
            g.writeArray(new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.5}, 0, 4);
        }
        assertEquals("[\"NaN\",\"Infinity\",\"-Infinity\",1.5]", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void caseLayout() throws IOException {
        NumericEvents e = new NumericEvents();
        e.add(NumericEvent.LOG_OF_ZERO, 1);
        e.recordNonFinite("log", 0, 1);
        e.countLoss(new double[] {Double.POSITIVE_INFINITY}, 0, 1);
        e.countGradient(new double[] {Double.NaN, Double.NaN}, 0, 2);
        ProbeResult full = new ProbeResult("separate", new PrecisionSpec(Precision.BF16, Precision.FP32),
                Double.POSITIVE_INFINITY, Double.NaN, new double[] {Double.NaN, Double.NaN}, new double[] {1, 0}, e);
        ProbeResult bare = new ProbeResult("fused", PrecisionSpec.of(Precision.FP64), 0.5, 0.25, null, null,
                new NumericEvents());
        ProbeCase c = ProbeCase.sparse(4, new double[] {3, 1}, 1, F);
        JsonNode n = STRICT.readTree(ProbeJson.caseBytes(new ProbeCaseResult(c, List.of(full, bare))));

        assertEquals(4, n.get("case").asInt());
        assertEquals(2, n.get("classes").asInt());
        JsonNode a = n.get("results").get(0);
        assertEquals("separate", a.get("path").asText());
        assertEquals("bf16", a.get("precision").asText());
        assertEquals("fp32", a.get("accumulate").asText());
        assertEquals("Infinity", a.get("loss").textValue());
        assertEquals("NaN", a.get("maxAbsGradient").textValue());
        assertEquals("NaN", a.get("gradient").get(1).textValue());
        assertEquals(1.0, a.get("probabilities").get(0).doubleValue());
        assertEquals(1, a.get("events").get("logOfZero").asInt());
        assertEquals(0, a.get("events").get("expOverflow").asInt());
        assertEquals(1, a.get("events").get("loss").get("posInf").asInt());
        assertEquals(2, a.get("events").get("gradient").get("nan").asInt());
        assertEquals("log", a.get("firstNonFinite").get("op").asText());
        assertEquals(1, a.get("firstNonFinite").get("classIndex").asInt());

        JsonNode b = n.get("results").get(1);
        assertEquals(0.5, b.get("loss").doubleValue());
        assertFalse(b.has("gradient"));
        assertFalse(b.has("probabilities"));
        assertTrue(b.get("firstNonFinite").isNull());
        assertEquals(NumericEvent.values().length + 2, b.get("events").size());
    }
}
