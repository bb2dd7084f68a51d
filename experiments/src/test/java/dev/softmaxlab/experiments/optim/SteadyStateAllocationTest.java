package dev.softmaxlab.experiments.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.experiments.data.SplitMix64;
import dev.softmaxlab.experiments.data.TestConfigs;
import dev.softmaxlab.experiments.model.Model;
import dev.softmaxlab.experiments.model.Models;
import dev.softmaxlab.experiments.config.TrainConfig;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Once sized for a batch, forward, backward and an optimizer step allocate nothing (the hot loop of training). */
class SteadyStateAllocationTest {

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @CsvSource({
        "mlp,    tanh, adam,     fp32",
        "mlp,    relu, momentum, fp64",
        "linear, relu, sgd,      fp64",
    })
    void trainingStepAllocatesNothing(String model, String activation, String optimizer, String precision) {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(mx instanceof com.sun.management.ThreadMXBean,
                "needs a JVM that reports per-thread allocation");
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) mx;
        TrainConfig config = TestConfigs.of("{\"model\":\"" + model + "\",\"activation\":\"" + activation
                + "\",\"optimizer\":\"" + optimizer + "\",\"modelPrecision\":\"" + precision
                + "\",\"hidden\":[16,8],\"lr\":0.001}");
        Model m = Models.create(config.model(), 10, 4, new SplitMix64(1));
        Optimizer o = Optimizers.create(config.optimizer(), config.model().precision(), m.parameterCount());
        int batch = 32;
        double[] x = new double[batch * 10];
        double[] logits = new double[batch * 4];
        double[] grad = new double[m.parameterCount()];
        SplitMix64 rng = new SplitMix64(2);
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
        }
        step(m, o, x, batch, logits, grad); // sizes the buffers
        long thread = Thread.currentThread().getId();
        long before = bean.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 200; i++) {
            // Smaller batches (a last partial batch) reuse the buffers too.
            step(m, o, x, i % 3 == 0 ? batch / 2 : batch, logits, grad);
        }
        long allocated = bean.getThreadAllocatedBytes(thread) - before;
        // The probe itself may allocate a few bytes; 200 steps that allocated would show kilobytes.
        assertTrue(allocated < 1024, allocated + " bytes allocated in 200 steps");
    }

    private static void step(Model m, Optimizer o, double[] x, int batch, double[] logits, double[] grad) {
        m.forward(x, batch, logits);
        m.backward(logits, grad); // any dLogits will do
        o.step(m.parameters(), grad);
    }
}
