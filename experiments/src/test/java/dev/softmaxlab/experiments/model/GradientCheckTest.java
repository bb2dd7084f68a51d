package dev.softmaxlab.experiments.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.experiments.data.SplitMix64;

import java.util.random.RandomGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Backward against central finite differences of the scalar L = Σ w ⊙ logits with fixed random w (so dL/dlogits = w),
 * in fp64, for every parameter.
 */
class GradientCheckTest {

    @ParameterizedTest(name = "{0} {1} {2} hidden={3} s={4}")
    @CsvSource({
        "linear, relu, he,     '',    1.0",
        "linear, relu, xavier, '',    3.5",
        "mlp,    relu, he,     '7',   1.0",
        "mlp,    relu, he,     '6,5', 2.5",
        "mlp,    tanh, xavier, '6,5', 2.5",
        "mlp,    tanh, he,     '8',   0.3",
    })
    void backwardMatchesFiniteDifferences(String model, String activation, String init, String hidden,
                                          double logitScale) {
        ModelSettings config = ModelsTest.config(model, activation, init, hidden, logitScale, "fp64", 1.0);
        RandomGenerator rng = new SplitMix64(hidden.length() * 31 + (long) (logitScale * 10));
        int d = 4;
        int k = 3;
        int batch = 5;
        Model m = Models.create(config, d, k, rng);
        // Nonzero biases, so that their gradient paths are exercised with realistic values.
        double[] p = m.parameters();
        for (int i = 0; i < p.length; i++) {
            if (p[i] == 0) {
                p[i] = 0.1 * rng.nextGaussian();
            }
        }
        double[] x = new double[batch * d];
        double[] w = new double[batch * k];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = rng.nextGaussian();
        }
        double[] logits = new double[batch * k];
        double[] grad = new double[m.parameterCount()];
        m.forward(x, batch, logits);
        java.util.Arrays.fill(grad, Double.NaN); // backward must overwrite every entry
        m.backward(w, grad);

        double worst = 0;
        for (int i = 0; i < p.length; i++) {
            double saved = p[i];
            double h = 1e-6 * Math.max(1, Math.abs(saved));
            p[i] = saved + h;
            double plus = loss(m, x, batch, w, logits);
            p[i] = saved - h;
            double minus = loss(m, x, batch, w, logits);
            p[i] = saved;
            double numeric = (plus - minus) / (2 * h);
            double error = Math.abs(numeric - grad[i]) / (1 + Math.abs(numeric));
            worst = Math.max(worst, error);
            // Rounding error of the difference quotient is about 1e-16·|L|/h ≈ 1e-9; truncation h²·L''' smaller.
            assertEquals(numeric, grad[i], 1e-7 * (1 + Math.abs(numeric)), "parameter " + i);
        }
        assertTrue(worst < 1e-7);
    }

    private static double loss(Model m, double[] x, int batch, double[] w, double[] logits) {
        m.forward(x, batch, logits);
        double sum = 0;
        for (int i = 0; i < w.length; i++) {
            sum += w[i] * logits[i];
        }
        return sum;
    }
}
