package dev.softmaxlab.experiments.train;

import dev.softmaxlab.experiments.config.TrainConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softmaxlab.experiments.report.EventCounts;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.report.RunSummary;
import dev.softmaxlab.experiments.report.StepRecord;
import dev.softmaxlab.experiments.report.TrainingReport;
import dev.softmaxlab.experiments.report.TrainingRun;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class TrainerTest {

    static TrainConfig config(String json) {
        try {
            return TrainConfig.resolve(Json.mapper().readTree(json));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static byte[] runsJson(List<TrainingRun> runs) throws Exception {
        return Json.mapper().writeValueAsBytes(runs);
    }

    /** Small, fast, and with a non-finite path in it, so that NaN handling is part of what must reproduce. */
    private static final String SMALL = "{\"dataset\":\"blobs\",\"samples\":200,\"logitScale\":60,\"steps\":40,"
            + "\"logEvery\":3,\"evalEvery\":10,\"precision\":[\"fp32\",\"fp16\"]}";

    @Test
    void identicalInvocationsGiveByteIdenticalRuns() throws Exception {
        TrainConfig c = config(SMALL);
        byte[] first = runsJson(new Trainer(TrainingParts.standard(), 2).runs(c, TrainListener.NONE));
        byte[] second = runsJson(new Trainer(TrainingParts.standard(), 2).runs(c, TrainListener.NONE));
        assertArrayEquals(first, second);
    }

    @Test
    void parallelRunsEqualSequentialRuns() throws Exception {
        TrainConfig c = config(SMALL);
        byte[] sequential = runsJson(new Trainer(TrainingParts.standard(), 1).runs(c, TrainListener.NONE));
        byte[] parallel = runsJson(new Trainer(TrainingParts.standard(), 4).runs(c, TrainListener.NONE));
        assertArrayEquals(sequential, parallel);
    }

    @Test
    void aDifferentSeedGivesDifferentRuns() throws Exception {
        // guards the two tests above against passing because nothing depends on anything
        byte[] a = runsJson(Trainer.standard().runs(config(SMALL), TrainListener.NONE));
        byte[] b = runsJson(Trainer.standard().runs(config(SMALL.replace("{", "{\"seed\":7,")), TrainListener.NONE));
        assertFalse(java.util.Arrays.equals(a, b));
    }

    @Test
    void everyRunStartsFromTheSameWeightsOnTheSameBatches() {
        // Benign logits in fp64: every path computes the same cross-entropy, so if the weights and the batch of each
        // step are the same, the losses agree to rounding, step after step; a different start or batch would not.
        TrainConfig c = config("{\"samples\":240,\"steps\":25,\"logEvery\":1,\"precision\":\"fp64\"}");
        List<TrainingRun> runs = Trainer.standard().runs(c, TrainListener.NONE);
        TrainingRun fused = runs.get(0);
        assertEquals("fused@fp64", fused.id());
        for (TrainingRun r : runs) {
            assertEquals(25, r.steps().size());
            for (int i = 0; i < 25; i++) {
                double a = fused.steps().get(i).loss();
                double b = r.steps().get(i).loss();
                assertEquals(a, b, 1e-12 * Math.abs(a), r.id() + " step " + (i + 1));
            }
        }
    }

    @Test
    void theReferenceIsFp64FusedOnTheSameLogits() {
        // fused at fp64 is its own reference: any difference would mean different logits or a different computation
        TrainConfig c = config("{\"steps\":12,\"logEvery\":1,\"precision\":[\"fp64\",\"fp32\"],\"paths\":[\"fused\"]}");
        List<TrainingRun> runs = Trainer.standard().runs(c, TrainListener.NONE);
        for (StepRecord s : runs.get(0).steps()) {
            assertEquals(0.0, s.error().lossAbs());
            assertEquals(0.0, s.error().gradientMaxAbs());
            assertEquals(1.0, s.error().gradientCosine(), 1e-15);
        }
        for (StepRecord s : runs.get(1).steps()) { // fp32: small but not zero
            assertTrue(s.error().lossRel() < 1e-6, "fp32 fused loss within a few float ulps: " + s.error());
            assertTrue(s.error().gradientCosine() > 1 - 1e-9);
        }
    }

    @Test
    void logsTheFirstEveryNthTheLastAndTheFirstNonFiniteStep() {
        TrainConfig c = config("{\"logitScale\":200,\"steps\":23,\"logEvery\":10,\"evalEvery\":7,"
                + "\"paths\":[\"fused\",\"separate-naive\"]}");
        List<TrainingRun> runs = Trainer.standard().runs(c, TrainListener.NONE);
        assertEquals(List.of(1, 10, 20, 23), steps(runs.get(0)));
        Integer first = runs.get(1).summary().firstNonFiniteStep();
        assertNotNull(first, "separate-naive at logit scale 200 overflows");
        assertTrue(steps(runs.get(1)).contains(first));
        for (StepRecord s : runs.get(1).steps()) {
            // an operation that turned finite operands non-finite: only on a non-finite step with finite logits
            // (once the weights are NaN, the logits are too, and nothing turns non-finite any more)
            boolean expected = s.events().totalNonFinite() > 0 && Double.isFinite(s.maxAbsLogit());
            assertEquals(expected, s.firstNonFinite() != null, "step " + s.step() + ": " + s.firstNonFinite());
        }
        assertEquals("exp", runs.get(1).steps().stream().filter(s -> s.step() == first).findFirst().orElseThrow()
                .firstNonFinite().op(), "separate-naive overflows in exp first");
        List<Integer> evals = runs.get(0).evals().stream().map(e -> e.step()).toList();
        assertEquals(List.of(7, 14, 21, 23), evals);
    }

    private static List<Integer> steps(TrainingRun r) {
        return r.steps().stream().map(StepRecord::step).toList();
    }

    @Test
    void eventTotalsCountEveryStepNotOnlyLoggedOnes() {
        String base = "{\"logitScale\":150,\"steps\":30,\"paths\":[\"separate-naive\",\"separate-clipped\"],"
                + "\"evalEvery\":30,\"logEvery\":%d}";
        List<TrainingRun> everyStep = Trainer.standard().runs(config(String.format(base, 1)), TrainListener.NONE);
        List<TrainingRun> sparse = Trainer.standard().runs(config(String.format(base, 10)), TrainListener.NONE);
        for (int i = 0; i < everyStep.size(); i++) {
            RunSummary s = everyStep.get(i).summary();
            long sum = 0;
            long clipped = 0;
            for (StepRecord r : everyStep.get(i).steps()) {
                sum += r.events().totalNonFinite();
                clipped += r.events().clipped();
            }
            assertEquals(sum, s.totalNonFinite(), everyStep.get(i).id());
            assertEquals(clipped, s.events().clipped(), everyStep.get(i).id());
            assertEquals(s, sparse.get(i).summary(), "logging less must not change the totals");
        }
        assertTrue(everyStep.get(0).summary().totalNonFinite() > 0);
        assertTrue(everyStep.get(1).summary().events().clipped() > 0);
    }

    @Test
    void lseAndMaxAbsLogitSummariesAreTheStepsMaximaAndLastValue() {
        // Logged at every step, the summary's maxima are the maxima of the step records and finalMeanLse is the last
        // step's; z-loss (the only pull on the logits' mean over the classes) must end with a lower lse than without.
        String base = "{\"dataset\":\"digits\",\"model\":\"mlp\",\"hidden\":[16],\"lr\":1,\"steps\":60,"
                + "\"logEvery\":1,\"evalEvery\":60,\"paths\":[\"fused\"],\"zLoss\":%s}";
        double[] finalLse = new double[2];
        int k = 0;
        for (String z : List.of("0", "0.001")) {
            TrainingRun r = Trainer.standard().runs(config(String.format(base, z)), TrainListener.NONE).get(0);
            double maxLse = Double.NEGATIVE_INFINITY;
            double maxAbs = 0;
            for (StepRecord st : r.steps()) {
                maxLse = Math.max(maxLse, st.meanLse());
                maxAbs = Math.max(maxAbs, st.maxAbsLogit());
                // lse lies between the row max and the row max + log C, so the batch mean is at most max|z| + log 10
                assertTrue(st.meanLse() <= st.maxAbsLogit() + Math.log(10) + 1e-12, "step " + st.step());
            }
            assertEquals(maxLse, r.summary().maxMeanLse());
            assertEquals(maxAbs, r.summary().maxAbsLogitMax());
            assertEquals(r.steps().get(r.steps().size() - 1).meanLse(), r.summary().finalMeanLse());
            finalLse[k++] = r.summary().finalMeanLse();
        }
        assertTrue(finalLse[1] < finalLse[0], java.util.Arrays.toString(finalLse));
    }

    @Test
    void skipWithholdsNonFiniteUpdatesAndCountsThem() {
        TrainConfig c = config("{\"logitScale\":200,\"steps\":40,\"logEvery\":1,\"paths\":[\"separate-naive\"],"
                + "\"onNonfinite\":\"skip\"}");
        TrainingRun r = Trainer.standard().runs(c, TrainListener.NONE).get(0);
        long nonFiniteSteps = r.steps().stream().filter(s -> s.events().totalNonFinite() > 0
                || !Double.isFinite(s.loss())).count();
        long skipped = r.steps().stream().filter(StepRecord::skipped).count();
        assertTrue(nonFiniteSteps > 0);
        assertEquals(nonFiniteSteps, skipped);
        assertEquals(skipped, r.summary().skippedSteps());
        assertEquals("completed", r.summary().status());
        assertEquals(40, r.summary().stepsRun());
        assertTrue(Double.isFinite(r.summary().finalTestLoss()), "no NaN reached the weights");
    }

    @Test
    void continueLetsNaNReachTheWeights() {
        TrainConfig c = config("{\"logitScale\":200,\"steps\":40,\"paths\":[\"separate-naive\"]}");
        RunSummary s = Trainer.standard().runs(c, TrainListener.NONE).get(0).summary();
        assertNotNull(s.firstNonFiniteStep());
        assertEquals(0, s.skippedSteps());
        assertTrue(Double.isNaN(s.finalTestLoss()), "NaN gradients were applied: " + s);
    }

    @Test
    void stopEndsOnlyThatRunAtTheFirstNonFiniteStep() {
        TrainConfig c = config("{\"logitScale\":200,\"steps\":40,\"paths\":[\"fused\",\"separate-naive\"],"
                + "\"onNonfinite\":\"stop\"}");
        List<TrainingRun> runs = Trainer.standard().runs(c, TrainListener.NONE);
        RunSummary fused = runs.get(0).summary();
        RunSummary naive = runs.get(1).summary();
        assertEquals("completed", fused.status());
        assertEquals(40, fused.stepsRun());
        assertNull(fused.firstNonFiniteStep());
        assertEquals("stopped", naive.status());
        assertEquals(naive.firstNonFiniteStep(), naive.stepsRun());
        List<StepRecord> steps = runs.get(1).steps();
        assertEquals(naive.stepsRun(), steps.get(steps.size() - 1).step(), "the stopping step is logged last");
        assertTrue(steps.get(steps.size() - 1).skipped());
        assertEquals(naive.stepsRun(), runs.get(1).evals().get(runs.get(1).evals().size() - 1).step());
    }

    @Test
    void listenerHearsEveryStepOfEveryRunAndTheSameRecordsAsTheReport() {
        TrainConfig c = config("{\"steps\":15,\"logEvery\":4,\"precision\":[\"fp32\",\"bf16\"]}");
        Map<String, List<Integer>> stepsHeard = new ConcurrentHashMap<>();
        Map<String, List<StepRecord>> logged = new ConcurrentHashMap<>();
        List<String> finished = Collections.synchronizedList(new ArrayList<>());
        TrainingReport report = new Trainer(TrainingParts.standard(), 3).run(c, List.of("train"),
                new TrainListener() {
                    @Override
                    public void stepFinished(String runId, int step) {
                        stepsHeard.computeIfAbsent(runId, k -> Collections.synchronizedList(new ArrayList<>()))
                                .add(step);
                    }

                    @Override
                    public void stepLogged(String runId, StepRecord step) {
                        logged.computeIfAbsent(runId, k -> Collections.synchronizedList(new ArrayList<>())).add(step);
                    }

                    @Override
                    public void runFinished(String runId, RunSummary summary) {
                        finished.add(runId);
                    }
                });
        assertEquals(8, report.runs().size());
        assertEquals(8, finished.size());
        for (TrainingRun r : report.runs()) {
            assertEquals(15, stepsHeard.get(r.id()).size());
            assertEquals(r.steps(), logged.get(r.id()));
            assertTrue(report.timing().containsKey(r.id()));
        }
    }

    @Test
    void reportJsonHasTheSchemaAndWritesNonFiniteNumbersAsStrings() throws Exception {
        TrainConfig c = config("{\"logitScale\":200,\"steps\":10,\"paths\":[\"separate-naive\"]}");
        TrainingReport report = Trainer.standard().run(c, List.of("train", "--logit-scale", "200"),
                TrainListener.NONE);
        String text = Json.mapper().writeValueAsString(report);
        JsonNode doc = Json.mapper().readTree(text); // the strict reader rejects bare NaN
        assertEquals("softmaxlab.report/1", doc.get("schema").asText());
        assertEquals(List.of("schema", "tool", "provenance", "config", "data", "runs", "timing"), fieldNames(doc));
        assertEquals(c, TrainConfig.resolve(doc.get("config")), "the config round-trips");
        JsonNode run = doc.get("runs").get(0);
        assertEquals(List.of("id", "path", "precision", "accumulate", "steps", "evals", "summary"), fieldNames(run));
        assertEquals("NaN", run.get("summary").get("finalTestLoss").asText());
        assertTrue(run.get("summary").get("finalTestLoss").isTextual());
        assertTrue(doc.get("timing").get("separate-naive@fp32").get("wallSeconds").isNumber());
        assertEquals(List.of("train", "--logit-scale", "200"),
                Json.mapper().convertValue(doc.get("provenance").get("commandLine"), List.class));
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void stepEventsAreThatStepsOnly() {
        TrainConfig c = config("{\"logitScale\":200,\"steps\":20,\"logEvery\":1,\"paths\":[\"separate-naive\"]}");
        TrainingRun r = Trainer.standard().runs(c, TrainListener.NONE).get(0);
        int batch = TrainConfig.DEFAULTS.batchSize();
        int classes = TrainConfig.DEFAULTS.data().classes();
        for (StepRecord s : r.steps()) {
            EventCounts e = s.events();
            // one step's batch has batch rows of classes values: a count beyond that would be a running total
            assertTrue(e.gradient().total() <= (long) batch * classes, "step " + s.step() + ": " + e);
            assertTrue(e.loss().total() <= batch, "step " + s.step() + ": " + e);
        }
    }

    @Test
    void stepsThatAreNotLoggedAllocateNothing() {
        // Allocation per thread (HotSpot's ThreadMXBean): a run of many more unlogged steps must not allocate more,
        // beyond noise. One thread, so the run executes on this thread.
        com.sun.management.ThreadMXBean bean =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        Trainer trainer = new Trainer(TrainingParts.standard(), 1);
        String base = "{\"model\":\"mlp\",\"hidden\":[16],\"paths\":[\"%s\"],\"precision\":[\"%s\"],"
                + "\"logEvery\":100000,\"evalEvery\":100000,\"steps\":%d}";
        for (String[] run : new String[][] {{"fused", "fp32"}, {"separate", "fp16"}}) {
            long[] bytes = new long[2];
            int[] steps = {500, 2500};
            for (int warm = 0; warm < 2; warm++) { // the first pass warms up the JIT
                for (int i = 0; i < 2; i++) {
                    TrainConfig c = config(String.format(base, run[0], run[1], steps[i]));
                    long before = bean.getCurrentThreadAllocatedBytes();
                    trainer.runs(c, TrainListener.NONE);
                    bytes[i] = bean.getCurrentThreadAllocatedBytes() - before;
                }
            }
            double perStep = (double) (bytes[1] - bytes[0]) / (steps[1] - steps[0]);
            assertTrue(perStep < 16, run[0] + "@" + run[1] + ": " + perStep + " bytes per unlogged step");
        }
    }
}
