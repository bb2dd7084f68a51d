package dev.softmaxlab.experiments.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.data.TestConfigs;
import dev.softmaxlab.experiments.config.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Updates against numbers worked out by hand (or with 40-digit arithmetic) from the documented formulas. */
class OptimizersTest {

    static TrainConfig config(String json) {
        return TestConfigs.of(json);
    }

    static Optimizer create(TrainConfig c, int parameterCount) {
        return Optimizers.create(c.optimizer(), c.model().precision(), parameterCount);
    }

    @Test
    void sgdWithL2WeightDecay() {
        Optimizer o = create(config("{\"optimizer\":\"sgd\",\"lr\":0.1,\"weightDecay\":0.01}"), 2);
        assertInstanceOf(Sgd.class, o);
        double[] p = {1.0, -2.0};
        // g' = g + 0.01 p = [0.5 + 0.01, 0 - 0.02] = [0.51, -0.02]; p -= 0.1 g' -> [0.949, -1.998]
        o.step(p, new double[] {0.5, 0.0});
        assertArrayEquals(new double[] {0.949, -1.998}, p, 1e-15);
        // g' = [-0.2 + 0.00949, 1 - 0.01998] = [-0.19051, 0.98002]; p -> [0.968051, -2.096002]
        o.step(p, new double[] {-0.2, 1.0});
        assertArrayEquals(new double[] {0.968051, -2.096002}, p, 1e-15);
    }

    @Test
    void heavyBallMomentum() {
        Optimizer o = create(config("{\"optimizer\":\"momentum\",\"lr\":0.1,\"momentum\":0.9}"), 1);
        double[] p = {1.0};
        o.step(p, new double[] {1.0});   // v = 1,                  p = 1 - 0.1       = 0.9
        assertEquals(0.9, p[0], 1e-15);
        o.step(p, new double[] {0.5});   // v = 0.9·1 + 0.5 = 1.4,   p = 0.9 - 0.14    = 0.76
        assertEquals(0.76, p[0], 1e-15);
        o.step(p, new double[] {-1.0});  // v = 0.9·1.4 - 1 = 0.26,  p = 0.76 - 0.026  = 0.734
        assertEquals(0.734, p[0], 1e-15);
    }

    @Test
    void momentumWithWeightDecayAddsItToTheGradient() {
        Optimizer o = create(
                config("{\"optimizer\":\"momentum\",\"lr\":0.5,\"momentum\":0.5,\"weightDecay\":0.1}"), 1);
        double[] p = {2.0};
        o.step(p, new double[] {1.0});   // g' = 1 + 0.2 = 1.2, v = 1.2, p = 2 - 0.6 = 1.4
        assertEquals(1.4, p[0], 1e-15);
        o.step(p, new double[] {0.0});   // g' = 0.14, v = 0.6 + 0.14 = 0.74, p = 1.4 - 0.37 = 1.03
        assertEquals(1.03, p[0], 1e-15);
    }

    @Test
    void adamWithBiasCorrection() {
        Optimizer o = create(config("{\"optimizer\":\"adam\",\"lr\":0.1,\"beta1\":0.9,\"beta2\":0.999,"
                + "\"adamEps\":1e-8}"), 1);
        double[] p = {1.0};
        // t=1, g=2: m = 0.2, v = 0.004, m̂ = 2, v̂ = 4, p = 1 - 0.1·2/(2 + 1e-8) = 0.9000000005 (to 10 digits)
        o.step(p, new double[] {2.0});
        assertEquals(0.9000000004999999975, p[0], 1e-15);
        // t=2, g=-1: m = 0.18 - 0.1 = 0.08, v = 0.003996 + 0.001 = 0.004996,
        // m̂ = 0.08/0.19, v̂ = 0.004996/0.001999, p -= 0.1·m̂/(√v̂ + 1e-8)
        o.step(p, new double[] {-1.0});
        assertEquals(0.8733662967024313578, p[0], 1e-15);
        // t=3, g=0.5: m = 0.072 + 0.05 = 0.122, v = 0.004991004 + 0.00025 = 0.005241004
        o.step(p, new double[] {0.5});
        assertEquals(0.8393233821389424718, p[0], 1e-15);
    }

    @Test
    void adamWeightDecayIsDecoupled() {
        Optimizer o = create(config("{\"optimizer\":\"adam\",\"lr\":0.01,\"weightDecay\":0.1}"), 1);
        double[] p = {2.0};
        // t=1, g=1: m̂ = 1, v̂ = 1, p = 2 - 0.01·(1/(1 + 1e-8) + 0.1·2) = 1.98800000010 (to 11 digits)
        o.step(p, new double[] {1.0});
        assertEquals(1.988000000099999999, p[0], 1e-15);
        // t=2, g=-3: decay uses the current p, not the moments (L2-in-gradient would give a different value)
        o.step(p, new double[] {-3.0});
        assertEquals(1.990953898410774449, p[0], 1e-15);
    }

    @Test
    void fp32OptimizerKeepsFloatParametersAndMatchesFloatArithmetic() {
        Optimizer o = create(config("{\"optimizer\":\"momentum\",\"lr\":0.1,\"momentum\":0.9,"
                + "\"weightDecay\":0.001,\"modelPrecision\":\"fp32\"}"), 1);
        double[] p = {1.1f};
        float pf = 1.1f;
        float v = 0;
        float[] gs = {0.3f, -0.7f, 0.11f};
        for (float g : gs) {
            o.step(p, new double[] {g});
            float grad = g + 0.001f * pf;
            v = 0.9f * v + grad;
            pf = pf - 0.1f * v;
            assertEquals(pf, p[0], 0.0);
        }
    }

    @Test
    void withoutWeightDecayAnInfiniteParameterDoesNotTurnIntoNaN() {
        for (String name : new String[] {"sgd", "momentum"}) {
            Optimizer o = create(config("{\"optimizer\":\"" + name + "\"}"), 1);
            double[] p = {Double.POSITIVE_INFINITY};
            o.step(p, new double[] {0.0});
            assertEquals(Double.POSITIVE_INFINITY, p[0], name); // 0·∞ would have made it NaN
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"optimizer\":\"rmsprop\"}|optimizer = 'rmsprop': expected one of sgd, momentum, adam",
        "{\"lr\":0}|lr = 0: must be a finite number > 0",
        "{\"lr\":-0.1}|lr = -0.1: must be a finite number > 0",
        "{\"lr\":\"NaN\"}|lr = \"NaN\": must be a number",
        "{\"weightDecay\":-1e-4}|weightDecay = -1.0E-4: must be a finite number >= 0",
        "{\"optimizer\":\"momentum\",\"momentum\":1}|momentum = 1: must be a finite number in [0, 1)",
        "{\"optimizer\":\"momentum\",\"momentum\":-0.1}|momentum = -0.1: must be a finite number in [0, 1)",
        "{\"optimizer\":\"adam\",\"beta1\":1.0}|beta1 = 1: must be a finite number in [0, 1)",
        "{\"optimizer\":\"adam\",\"beta2\":1.5}|beta2 = 1.5: must be a finite number in [0, 1)",
        "{\"optimizer\":\"adam\",\"adamEps\":0}|adamEps = 0: must be a finite number > 0",
        "{\"modelPrecision\":\"fp16\"}|modelPrecision = 'fp16': expected one of fp64, fp32",
    })
    void badOptimizerSettings(String json, String expected) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> create(config(json), 3));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }
}
