package dev.softmaxlab.experiments.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.experiments.data.Dataset;
import dev.softmaxlab.experiments.data.Datasets;
import dev.softmaxlab.experiments.data.Seeds;
import dev.softmaxlab.experiments.data.Split;
import dev.softmaxlab.experiments.data.TestConfigs;
import dev.softmaxlab.experiments.model.Model;
import dev.softmaxlab.experiments.model.Models;
import dev.softmaxlab.experiments.config.TrainConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Data, model and optimizer together without the training loop: full-batch fp64 training with the cross-entropy
 * gradient computed here (softmax − onehot, averaged), then test accuracy.
 */
class SanityFitTest {

    @ParameterizedTest(name = "{0} {1} on {2}")
    @CsvSource({
        "linear, sgd,      blobs,  300,  0.95",
        "linear, adam,     iris,   300,  0.9",
        "mlp,    momentum, spiral, 1000, 0.9",
    })
    void trainsToHighTestAccuracy(String model, String optimizer, String dataset, int steps, double minAccuracy) {
        double accuracy = fit(model, optimizer, dataset, steps);
        assertTrue(accuracy >= minAccuracy, model + " " + optimizer + " on " + dataset + ": " + accuracy);
    }

    @org.junit.jupiter.api.Test
    void aSpiralNeedsAHiddenLayer() {
        // Three interleaved arms: the best linear boundary leaves most of each arm on the wrong side.
        double accuracy = fit("linear", "momentum", "spiral", 1000);
        assertTrue(accuracy < 0.7, "linear on spiral: " + accuracy);
    }

    private static double fit(String model, String optimizer, String dataset, int steps) {
        String lr = optimizer.equals("adam") ? "0.05" : "0.1";
        TrainConfig config = TestConfigs.of((
                "{\"dataset\":\"" + dataset + "\",\"model\":\"" + model + "\",\"optimizer\":\"" + optimizer
                        + "\",\"lr\":" + lr + ",\"noise\":" + (dataset.equals("spiral") ? 0.2 : 1.0)
                        + ",\"hidden\":[32]}"));
        Split split = Datasets.prepare(config.data(), config.seed());
        Dataset train = split.train();
        Model m = Models.create(config.model(), train.featureCount(), train.classCount(),
                Seeds.stream(config.seed(), Seeds.INIT));
        Optimizer o = Optimizers.create(config.optimizer(), config.model().precision(), m.parameterCount());
        int n = train.rows();
        int k = train.classCount();
        double[] logits = new double[n * k];
        double[] dLogits = new double[n * k];
        double[] grad = new double[m.parameterCount()];
        for (int step = 0; step < steps; step++) {
            m.forward(train.features(), n, logits);
            for (int r = 0; r < n; r++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    max = Math.max(max, logits[r * k + c]);
                }
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    dLogits[r * k + c] = Math.exp(logits[r * k + c] - max);
                    sum += dLogits[r * k + c];
                }
                for (int c = 0; c < k; c++) {
                    dLogits[r * k + c] = (dLogits[r * k + c] / sum - (c == train.labels()[r] ? 1 : 0)) / n;
                }
            }
            m.backward(dLogits, grad);
            o.step(m.parameters(), grad);
        }
        return accuracy(m, split.test());
    }

    static double accuracy(Model m, Dataset d) {
        int k = d.classCount();
        double[] logits = new double[d.rows() * k];
        m.forward(d.features(), d.rows(), logits);
        int correct = 0;
        for (int r = 0; r < d.rows(); r++) {
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (logits[r * k + c] > logits[r * k + best]) {
                    best = c;
                }
            }
            correct += best == d.labels()[r] ? 1 : 0;
        }
        return (double) correct / d.rows();
    }
}
