package dev.softmaxlab.experiments.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.data.SplitMix64;
import dev.softmaxlab.experiments.data.TestConfigs;
import dev.softmaxlab.experiments.report.Json;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ModelsTest {

    static ModelSettings config(String model, String activation, String init, String hidden, double logitScale,
                                String precision, double initScale) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("model", model).put("activation", activation).put("init", init).put("logitScale", logitScale)
                .put("modelPrecision", precision).put("initScale", initScale);
        if (!hidden.isBlank()) { // a linear model keeps the default, which it does not use
            var h = o.putArray("hidden");
            for (String s : hidden.split(",")) {
                h.add(Integer.parseInt(s.strip()));
            }
        }
        return TestConfigs.of(o).model();
    }

    static ModelSettings with(String key, String jsonValue) {
        return TestConfigs.of("{\"" + key + "\":" + jsonValue + "}").model();
    }

    @Test
    void linearForwardAndBackwardByHand() {
        Model m = Models.create(config("linear", "relu", "he", "", 2.0, "fp64", 1.0), 2, 2, new SplitMix64(1));
        assertEquals(6, m.parameterCount());
        // W = [[1, 2], [3, 4]] (row d, column k), b = [0.5, -0.5]
        System.arraycopy(new double[] {1, 2, 3, 4, 0.5, -0.5}, 0, m.parameters(), 0, 6);
        double[] logits = new double[4];
        // rows x = [1, -1] and [0, 2]: z = [1 - 3 + 0.5, 2 - 4 - 0.5] = [-1.5, -2.5]; [6.5, 7.5]; logits = 2z
        m.forward(new double[] {1, -1, 0, 2}, 2, logits);
        assertArrayEquals(new double[] {-3, -5, 13, 15}, logits, 0.0);
        double[] grad = new double[6];
        // dL/dlogits = [[1, 0], [0, 1]] -> dz = 2·that; dW = xᵀ dz = [[2, 0], [-2, 4]]; db = [2, 2]
        m.backward(new double[] {1, 0, 0, 1}, grad);
        assertArrayEquals(new double[] {2, 0, -2, 4, 2, 2}, grad, 0.0);
    }

    @Test
    void mlpParameterCountAndLayout() {
        Model m = Models.create(config("mlp", "tanh", "he", "6,5", 1, "fp64", 1.0), 4, 3, new SplitMix64(1));
        assertEquals(4 * 6 + 6 + 6 * 5 + 5 + 5 * 3 + 3, m.parameterCount());
        double[] p = m.parameters();
        // Biases start at 0: offsets 24..29, 60..64, 80..82.
        for (int[] range : new int[][] {{24, 30}, {60, 65}, {80, 83}}) {
            for (int i = range[0]; i < range[1]; i++) {
                assertEquals(0.0, p[i], "bias " + i);
            }
        }
        assertEquals(4, m.inputSize());
        assertEquals(3, m.outputSize());
    }

    @ParameterizedTest
    @CsvSource({"he, 400, 50, 0.0707106781186548", "xavier, 400, 50, 0.0666666666666667"})
    void initialWeightsHaveTheDocumentedScale(String init, int in, int out, double sigma) {
        Model m = Models.create(config("linear", "relu", init, "", 1, "fp64", 1.0), in, out, new SplitMix64(3));
        double sum = 0;
        double squares = 0;
        int n = in * out;
        for (int i = 0; i < n; i++) {
            sum += m.parameters()[i];
            squares += m.parameters()[i] * m.parameters()[i];
        }
        // sqrt(2/400) and sqrt(2/450); the sample std over 20000 draws is within 2.5% at 5 sigma.
        assertEquals(0, sum / n, 5 * sigma / Math.sqrt(n));
        assertEquals(sigma, Math.sqrt(squares / n), 0.025 * sigma);
        // initScale multiplies each weight exactly (0.5 is a power of two).
        Model half = Models.create(config("linear", "relu", init, "", 1, "fp64", 0.5), in, out, new SplitMix64(3));
        for (int i = 0; i < n; i++) {
            assertEquals(0.5 * m.parameters()[i], half.parameters()[i]);
        }
    }

    @Test
    void sameSeedSameInitDifferentSeedDifferentInit() {
        ModelSettings c = config("mlp", "relu", "he", "8,8", 1, "fp64", 1.0);
        Model a = Models.create(c, 5, 3, new SplitMix64(11));
        Model b = Models.create(c, 5, 3, new SplitMix64(11));
        Model other = Models.create(c, 5, 3, new SplitMix64(12));
        assertArrayEquals(a.parameters(), b.parameters(), 0.0);
        assertFalse(Arrays.equals(a.parameters(), other.parameters()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"fp64", "fp32"})
    void copyIsBitIdenticalAndIndependent(String precision) {
        Model m = Models.create(config("mlp", "tanh", "he", "7", 1.7, precision, 1.0), 3, 4, new SplitMix64(5));
        Model c = m.copy();
        assertNotSame(m.parameters(), c.parameters());
        assertArrayEquals(m.parameters(), c.parameters(), 0.0);
        double[] x1 = {0.3, -1.2, 2.0, 1.1, 0.0, -0.4};
        double[] x2 = {5, 4, 3, 2, 1, 0};
        double[] dl = {1, -2, 0.5, 0.25, -1, 3, 2, 0};
        // Reference: forward and backward on x1 alone.
        double[] refLogits = new double[8];
        double[] refGrad = new double[m.parameterCount()];
        m.forward(x1, 2, refLogits);
        m.backward(dl, refGrad);
        // Interleave: the copy's forward on other data must not disturb the original's stored activations.
        double[] logits = new double[8];
        double[] copyLogits = new double[8];
        double[] grad = new double[m.parameterCount()];
        m.forward(x1, 2, logits);
        c.forward(x2, 2, copyLogits);
        m.backward(dl, grad);
        assertArrayEquals(refLogits, logits, 0.0);
        assertArrayEquals(refGrad, grad, 0.0);
        c.forward(x1, 2, copyLogits);
        assertArrayEquals(refLogits, copyLogits, 0.0);
        // Updating the copy leaves the original alone.
        c.parameters()[0] += 1;
        assertFalse(m.parameters()[0] == c.parameters()[0]);
    }

    @Test
    void logitScaleMultipliesTheLogits() {
        ModelSettings one = config("mlp", "relu", "he", "6", 1.0, "fp64", 1.0);
        ModelSettings hot = config("mlp", "relu", "he", "6", 30.0, "fp64", 1.0);
        Model a = Models.create(one, 3, 4, new SplitMix64(2));
        Model b = Models.create(hot, 3, 4, new SplitMix64(2));
        double[] x = {1, 2, 3, -1, 0.5, 0.25};
        double[] la = new double[8];
        double[] lb = new double[8];
        a.forward(x, 2, la);
        b.forward(x, 2, lb);
        for (int i = 0; i < 8; i++) {
            assertEquals(30 * la[i], lb[i]);
        }
    }

    @Test
    void batchesOfChangingSizeGiveTheSameRows() {
        Model m = Models.create(config("mlp", "tanh", "xavier", "5", 1, "fp64", 1.0), 2, 3, new SplitMix64(9));
        Model fresh = m.copy();
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        double[] small = new double[6];
        double[] big = new double[15];
        m.forward(x, 2, small);
        m.forward(x, 5, big);
        m.forward(x, 2, small);
        double[] expected = new double[15];
        fresh.forward(x, 5, expected);
        assertArrayEquals(expected, big, 0.0);
        assertArrayEquals(Arrays.copyOf(expected, 6), small, 0.0);
    }

    @Test
    void fp32LinearIsExactlyFloatArithmetic() {
        int d = 5;
        int k = 3;
        int batch = 4;
        float s = 0.1f; // not exact in binary: fp32 applies float(0.1)
        Model m = Models.create(config("linear", "relu", "he", "", 0.1, "fp32", 1.0), d, k, new SplitMix64(4));
        double[] p = m.parameters();
        SplitMix64 rng = new SplitMix64(8);
        for (int i = d * k; i < p.length; i++) {
            p[i] = (float) rng.nextGaussian(); // float biases
        }
        for (double v : p) {
            assertEquals((float) v, v, 0.0, "fp32 parameters are floats");
        }
        double[] x = new double[batch * d];
        double[] dl = new double[batch * k];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian(); // not floats: the model rounds its input
        }
        for (int i = 0; i < dl.length; i++) {
            dl[i] = (float) rng.nextGaussian();
        }
        double[] logits = new double[batch * k];
        double[] grad = new double[p.length];
        m.forward(x, batch, logits);
        m.backward(dl, grad);

        // Reference in Java float arithmetic, same summation order.
        float[] w = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            w[i] = (float) p[i];
        }
        float[] dz = new float[batch * k];
        for (int r = 0; r < batch; r++) {
            for (int c = 0; c < k; c++) {
                float acc = w[d * k + c];
                for (int j = 0; j < d; j++) {
                    acc += (float) x[r * d + j] * w[j * k + c];
                }
                assertEquals(s * acc, logits[r * k + c], 0.0, "logit " + r + "," + c);
                dz[r * k + c] = s * (float) dl[r * k + c];
            }
        }
        for (int j = 0; j < d; j++) {
            for (int c = 0; c < k; c++) {
                float acc = 0;
                for (int r = 0; r < batch; r++) {
                    acc += (float) x[r * d + j] * dz[r * k + c];
                }
                assertEquals(acc, grad[j * k + c], 0.0, "dW " + j + "," + c);
            }
        }
        for (int c = 0; c < k; c++) {
            float acc = 0;
            for (int r = 0; r < batch; r++) {
                acc += dz[r * k + c];
            }
            assertEquals(acc, grad[d * k + c], 0.0, "db " + c);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"relu", "tanh"})
    void fp32MlpStaysFloatAndCloseToFp64(String activation) {
        Model m64 = Models.create(config("mlp", activation, "he", "16,16", 2, "fp64", 1.0), 6, 4, new SplitMix64(6));
        Model m32 = Models.create(config("mlp", activation, "he", "16,16", 2, "fp32", 1.0), 6, 4, new SplitMix64(6));
        for (int i = 0; i < m32.parameterCount(); i++) {
            assertEquals((float) m64.parameters()[i], m32.parameters()[i], 0.0, "fp32 init is the rounded fp64 one");
        }
        System.arraycopy(m32.parameters(), 0, m64.parameters(), 0, m32.parameterCount());
        SplitMix64 rng = new SplitMix64(1);
        double[] x = new double[8 * 6];
        double[] dl = new double[8 * 4];
        Arrays.setAll(x, i -> (float) rng.nextGaussian());
        Arrays.setAll(dl, i -> (float) rng.nextGaussian());
        double[] l64 = new double[32];
        double[] l32 = new double[32];
        double[] g64 = new double[m64.parameterCount()];
        double[] g32 = new double[m64.parameterCount()];
        m64.forward(x, 8, l64);
        m32.forward(x, 8, l32);
        m64.backward(dl, g64);
        m32.backward(dl, g32);
        boolean anyDifferent = false;
        for (int i = 0; i < 32; i++) {
            assertEquals((float) l32[i], l32[i], 0.0);
            // A few float roundings on values of size ~1 through ~20-term sums: well within 1e-5.
            assertEquals(l64[i], l32[i], 1e-5 * (1 + Math.abs(l64[i])));
            anyDifferent |= l64[i] != l32[i];
        }
        for (int i = 0; i < g32.length; i++) {
            assertEquals((float) g32[i], g32[i], 0.0);
            assertEquals(g64[i], g32[i], 1e-5 * (1 + Math.abs(g64[i])));
        }
        assertTrue(anyDifferent, "fp32 must actually round");
    }

    @ParameterizedTest
    @ValueSource(strings = {"relu", "tanh"})
    void aNaNWeightShowsUpInTheLogitsAndGradients(String activation) {
        Model m = Models.create(config("mlp", activation, "he", "4", 1, "fp64", 1.0), 2, 3, new SplitMix64(1));
        m.parameters()[0] = Double.NaN; // W1[0, 0]: feeds hidden unit 0
        double[] logits = new double[3];
        m.forward(new double[] {1, 1}, 1, logits);
        for (double l : logits) {
            assertTrue(Double.isNaN(l), "NaN must not be hidden: " + Arrays.toString(logits));
        }
        double[] grad = new double[m.parameterCount()];
        m.backward(new double[] {1, 0, 0}, grad);
        assertTrue(Double.isNaN(grad[0]), "the NaN unit's gradient is not zeroed");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "model|\"cnn\"|model = 'cnn': expected one of linear, mlp",
        "init|\"kaiming\"|init = 'kaiming': expected one of he, xavier",
        "modelPrecision|\"bf16\"|modelPrecision = 'bf16': expected one of fp64, fp32",
        "logitScale|0|logitScale = 0: must be a finite number > 0",
        "logitScale|-2|logitScale = -2: must be",
        "initScale|-1|initScale = -1: must be a finite number >= 0",
    })
    void badModelSettings(String key, String value, String expected) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Models.create(with(key, value), 3, 2, new SplitMix64(1)));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"model\":\"mlp\",\"hidden\":[64,0]}|hidden = [64, 0]: every layer size must be >= 1",
        "{\"model\":\"mlp\",\"hidden\":[]}|hidden = []: needs at least one layer size",
        "{\"model\":\"mlp\",\"activation\":\"gelu\"}|activation = 'gelu': expected one of relu, tanh",
    })
    void badMlpSettings(String json, String expected) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Models.create(TestConfigs.of(json).model(), 3, 2, new SplitMix64(1)));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"2000000000; 64", "100000,100000; 64", "8000; 8000"})
    void tooManyParametersIsBadInputNotAnInternalError(String hidden, int inputs) {
        // 2e9 wide overflowed int (NegativeArraySizeException); 1e10 weights ran out of memory with a stack trace
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Models.create(config("mlp", "relu", "he", hidden, 1, "fp64", 1.0), inputs, 10,
                        new SplitMix64(1)));
        assertTrue(e.getMessage().startsWith("hidden = [" + hidden.replace(",", ", ") + "] gives "),
                e.getMessage());
        assertTrue(e.getMessage().contains("parameters, more than the "), e.getMessage());
    }
}
