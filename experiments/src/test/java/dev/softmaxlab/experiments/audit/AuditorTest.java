package dev.softmaxlab.experiments.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.report.Provenance;
import dev.softmaxlab.experiments.schema.SchemaCheck;
import dev.softmaxlab.experiments.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuditorTest {

    @TempDir
    Path dir;

    /**
     * Hand-worked rows: [0, 0] label 0 has loss ln 2 (= 0.6931471805599453 in double); [1000, 0, -1000]-like rows
     * break separate in fp64 (p_y = e^-2000 underflows to 0, log 0 = -∞) while fused gives m - z_y = 2000 exactly.
     */
    @Test
    void handWorkedRows() throws IOException {
        double[][] rows = {{0, 0, -1e300}, {1000, 0, -1000}, {3, 1, 2}};
        Path f = AuditFixtures.file(dir, "h.safetensors", DType.FLOAT64, rows, new long[] {0, 2, 1});
        AuditReport r = AuditFixtures.run(f, AuditFixtures.config("fused,separate", "fp64", 0), 1);
        AuditReport.PathPrecision fused = AuditFixtures.find(r, "fused", "fp64");
        AuditReport.PathPrecision separate = AuditFixtures.find(r, "separate", "fp64");
        // row 2: 3 - 1 + ln(1 + e^-2 + e^-1) = 2 + 0.4076059644443807 (mpmath: log1p(exp(-2)+exp(-1)))
        double exactMean = (Math.log(2) + 2000 + 2.4076059644443807) / 3;
        assertEquals(exactMean, fused.exactLossMean(), 1e-13);
        assertEquals(0, fused.brokenRows());
        assertTrue(fused.lossErrorUlps().max() <= 2, "fused fp64 within 2 ulps: " + fused.lossErrorUlps());
        assertEquals(1, separate.brokenRows());
        assertEquals(1, separate.firstBroken().row());
        assertEquals(Double.POSITIVE_INFINITY, separate.lossMean());
        assertTrue(separate.events().loss().posInf() >= 1);
        assertEquals(3, r.input().rows());
        assertEquals(1000, r.input().logitMax());
        assertEquals(-1e300, r.input().logitMin());
    }

    /** The exact loss mean against BigDecimal (60 digits, series for exp and log computed here). */
    @Test
    void exactLossMatchesBigDecimal() throws IOException {
        SplittableRandom rnd = new SplittableRandom(5);
        double[][] rows = new double[20][9];
        long[] labels = new long[20];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < 9; j++) {
                rows[i][j] = rnd.nextGaussian() * 4;
            }
            labels[i] = rnd.nextInt(9);
        }
        Path f = AuditFixtures.file(dir, "b.safetensors", DType.FLOAT32, rows, labels);
        AuditReport r = AuditFixtures.run(f, AuditFixtures.config("fused", "fp32", 0), 1);
        MathContext mc = new MathContext(60);
        BigDecimal sum = BigDecimal.ZERO;
        for (int i = 0; i < rows.length; i++) {
            BigDecimal s = BigDecimal.ZERO;
            for (int j = 0; j < 9; j++) {
                s = s.add(BigExp.exp(new BigDecimal((float) rows[i][j]), mc), mc);
            }
            sum = sum.add(BigExp.log(s, mc).subtract(new BigDecimal((float) rows[i][(int) labels[i]])), mc);
        }
        double expected = sum.divide(BigDecimal.valueOf(rows.length), mc).doubleValue();
        assertEquals(expected, AuditFixtures.find(r, "fused", "fp32").exactLossMean(), Math.ulp(expected) * 4);
    }

    @Test
    void identicalForAnyThreadCount() throws IOException {
        SplittableRandom rnd = new SplittableRandom(11);
        double[][] rows = new double[37][50];
        long[] labels = new long[37];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < 50; j++) {
                rows[i][j] = rnd.nextGaussian() * 8;
            }
            labels[i] = i % 7 == 0 ? -100 : rnd.nextInt(50);
        }
        rows[5][3] = Double.NaN;
        Path f = AuditFixtures.file(dir, "t.safetensors", DType.BFLOAT16, rows, labels);
        AuditConfig c = AuditFixtures.config("fused,separate,separate-naive", "fp32,bf16,fp16", 8);
        AuditReport one = AuditFixtures.run(f, c, 1);
        AuditReport three = AuditFixtures.run(f, c, 3);
        assertEquals(one, three);
        assertEquals(6, one.input().ignoredRows()); // rows 0, 7, 14, 21, 28, 35
        assertEquals(1, one.input().nonFiniteLogits());
        assertEquals(1, one.input().rowsWithNonFinite());
        assertEquals(31, AuditFixtures.find(one, "fused", "bf16").rows());
        // the NaN row is evaluated and counted, not refused
        assertTrue(AuditFixtures.find(one, "fused", "fp32").events().loss().nan() >= 1);
    }

    /**
     * Headroom, hand-worked: row [10, 0] label 1 through separate-naive at fp16 overflows when exp of the fp16-rounded
     * 10f reaches 65520 (the rounding boundary to ∞): rounded 10f must reach 11.09375 (the fp16 value above
     * ln 65520 = 11.0900), i.e. 10f ≥ 11.08984375 (the midpoint of 11.0859375 and 11.09375): f* = 1.108984375.
     * fused at fp16 stays finite until 10f rounds to ∞ in fp16, from 65520 on: f* = 6552.
     */
    @Test
    void headroomByBisection() throws IOException {
        Path f = AuditFixtures.file(dir, "k.safetensors", DType.FLOAT64, new double[][] {{10, 0}}, new long[] {1});
        AuditReport r = AuditFixtures.run(f, AuditFixtures.config("fused,separate-naive", "fp16", 1), 1);
        double naive = AuditFixtures.find(r, "separate-naive", "fp16").headroom().scale().min();
        double fused = AuditFixtures.find(r, "fused", "fp16").headroom().scale().min();
        assertTrue(naive <= 1.108984375 && naive > 1.108984375 * 0.996, "naive " + naive);
        assertTrue(fused <= 6552 && fused > 6552 * 0.996, "fused " + fused);
        List<String> reading = AuditReading.of(r);
        assertTrue(reading.stream().anyMatch(s -> s.startsWith("fp16 fused stays fine up to 65")
                && s.contains("separate-naive stays fine up to 1.1")), reading.toString());
    }

    @Test
    void misuseVerdicts() throws IOException {
        SplittableRandom rnd = new SplittableRandom(3);
        int n = 20;
        int c = 6;
        double[][] logits = new double[n][c];
        double[][] probs = new double[n][c];
        double[][] logProbs = new double[n][c];
        double[][] clamped = new double[n][c];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < c; j++) {
                logits[i][j] = rnd.nextGaussian() * 3;
                s += Math.exp(logits[i][j]);
            }
            for (int j = 0; j < c; j++) {
                probs[i][j] = Math.exp(logits[i][j]) / s;
                logProbs[i][j] = logits[i][j] - Math.log(s);
                clamped[i][j] = Math.max(-5, Math.min(5, logits[i][j] * 4));
            }
            clamped[i][0] = 5; // every row reaches the clamp
            labels[i] = rnd.nextInt(c);
        }
        AuditConfig cfg = AuditFixtures.config("fused", "fp64", 0);
        assertEquals(List.of(), AuditFixtures.run(AuditFixtures.file(dir, "l.safetensors", DType.FLOAT64, logits,
                labels), cfg, 1).misuse());
        AuditReport.Misuse p = AuditFixtures.run(AuditFixtures.file(dir, "p.safetensors", DType.FLOAT64, probs,
                labels), cfg, 1).misuse().get(0);
        assertEquals("probabilities", p.kind());
        assertEquals(1.0, p.fraction());
        AuditReport.Misuse lp = AuditFixtures.run(AuditFixtures.file(dir, "q.safetensors", DType.FLOAT64, logProbs,
                labels), cfg, 1).misuse().get(0);
        assertEquals("logProbabilities", lp.kind());
        List<AuditReport.Misuse> cl = AuditFixtures.run(AuditFixtures.file(dir, "c.safetensors", DType.FLOAT64,
                clamped, labels), cfg, 1).misuse();
        assertEquals("clamp", cl.get(0).kind());
        assertEquals(1.0, cl.get(0).fraction());
        assertTrue(cl.get(0).evidence().contains("5.0"));
    }

    /**
     * The clamp verdict judges the top of the rows. A repeated minimum is no clamp: {@code softmaxlab logits} in
     * bf16 at a 131072-class vocabulary (seed 1, 64 rows) has the same smallest logit, -17.25, in 32 of its rows (the
     * far Zipf tail rounded to bf16's 0.125 steps), which a verdict on max |logit| took for a clamp. A real cap is
     * still found: a one-sided clamp at +4, and a soft-cap 30·tanh(z/30) whose large logits saturate to 30 in fp32.
     */
    @Test
    void clampVerdictJudgesTheTopNotARepeatedMinimum() throws IOException {
        AuditConfig cfg = AuditFixtures.config("fused", "fp64", 0);
        SyntheticLogits gen = new SyntheticLogits(64, 131072, SyntheticLogits.DEFAULT_ZIPF,
                SyntheticLogits.DEFAULT_CONFIDENCE, SyntheticLogits.DEFAULT_TEMPERATURE, SyntheticLogits.DEFAULT_SPREAD,
                1);
        Path bf16 = dir.resolve("synthetic.safetensors");
        dev.softmaxlab.experiments.tensor.TensorWriter.write(bf16,
                dev.softmaxlab.experiments.tensor.TensorFile.Format.SAFETENSORS, List.of(
                        new dev.softmaxlab.experiments.tensor.TensorWriter.Tensor("logits", DType.BFLOAT16,
                                new long[] {64, 131072}, gen::row),
                        new dev.softmaxlab.experiments.tensor.TensorWriter.Tensor("labels", DType.INT64,
                                new long[] {64}, (i, dst) -> dst[0] = gen.label(i))), false);
        // the trap is there: the rows' smallest bf16 value is -17.25 in half of them
        double[] row = new double[131072];
        int minAt1725 = 0;
        for (int i = 0; i < 64; i++) {
            gen.row(i, row);
            double min = Double.POSITIVE_INFINITY;
            for (double z : row) {
                min = Math.min(min, dev.softmaxlab.core.precision.Precision.BF16.round(z));
            }
            minAt1725 += min == -17.25 ? 1 : 0;
        }
        assertEquals(32, minAt1725);
        assertEquals(List.of(), AuditFixtures.run(bf16, cfg, 2).misuse());

        SplittableRandom rnd = new SplittableRandom(17);
        int n = 24;
        int c = 8;
        double[][] sameMin = new double[n][c];
        double[][] clamped = new double[n][c];
        double[][] capped = new double[n][c];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) {
                double z = rnd.nextGaussian() * 3;
                sameMin[i][j] = j == c - 1 ? -20 : Math.max(-19, z);
                clamped[i][j] = Math.min(4, j == 0 ? 6 + Math.abs(z) : z);
                capped[i][j] = 30 * Math.tanh((j == 0 ? 400 + z : 10 * z) / 30);
            }
            labels[i] = rnd.nextInt(c);
        }
        // the most negative logit is -20 in every row (so max |logit| is 20 in every row), the maxima all differ
        assertEquals(List.of(), AuditFixtures.run(AuditFixtures.file(dir, "m.safetensors", DType.FLOAT64, sameMin,
                labels), cfg, 1).misuse());
        AuditReport.Misuse clamp = AuditFixtures.run(AuditFixtures.file(dir, "c4.safetensors", DType.FLOAT64,
                clamped, labels), cfg, 1).misuse().get(0);
        assertEquals("clamp", clamp.kind());
        assertEquals(1.0, clamp.fraction());
        assertTrue(clamp.evidence().contains("exactly 4.0 in 24 rows"), clamp.evidence());
        AuditReport.Misuse cap = AuditFixtures.run(AuditFixtures.file(dir, "t.safetensors", DType.FLOAT32, capped,
                labels), cfg, 1).misuse().get(0);
        assertEquals("clamp", cap.kind());
        assertTrue(cap.evidence().contains("exactly 30.0 in 24 rows"), cap.evidence());
    }

    @Test
    void documentValidatesAgainstTheSchema() throws IOException {
        double[][] rows = {{1, Double.NaN, 0}, {2000, 0, -3}, {0.5, 0.25, 0.125}};
        Path f = AuditFixtures.file(dir, "s.safetensors", DType.FLOAT32, rows, new long[] {0, 1, -100});
        AuditConfig cfg = AuditFixtures.config("fused,separate,separate-clipped", "fp32,bf16", 2);
        try (AuditInput in = AuditInput.open(f, null, null, null, null, -100)) {
            Auditor.Result result = Auditor.run(in, cfg, 2, null, null);
            AuditDocument doc = AuditDocument.of(Provenance.capture("test", List.of("audit"), Instant.now()), cfg,
                    new AuditDocument.Source(InputFile.of(f), "safetensors", "logits", "labels", null), result);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.writeTo(out);
            JsonNode tree = Json.mapper().readTree(out.toByteArray());
            assertEquals(List.of(), SchemaCheck.errors("audit", tree));
            assertEquals("softmaxlab.audit/1", tree.get("schema").asText());
            assertEquals(64, tree.at("/source/file/sha256").asText().length());
            assertEquals("NaN", tree.at("/paths/0/lossMean").asText());
        }
    }

    @Test
    void badLabels() throws IOException {
        double[][] rows = {{1, 2, 3}, {3, 2, 1}};
        String m = assertThrows(InvalidInputException.class, () -> AuditFixtures.run(AuditFixtures.file(dir,
                "r.safetensors", DType.FLOAT32, rows, new long[] {0, 3}), AuditFixtures.config("fused", "fp32", 0), 1))
                .getMessage();
        assertTrue(m.contains("label 3 in row 1") && m.contains("[0, 3)"), m);
        m = assertThrows(InvalidInputException.class, () -> AuditFixtures.run(AuditFixtures.file(dir,
                "n.safetensors", DType.FLOAT32, rows, new long[] {0, 1, 2}), AuditFixtures.config("fused", "fp32", 0), 1))
                .getMessage();
        assertTrue(m.contains("holds 3 labels") && m.contains("has 2 rows"), m);
        m = assertThrows(InvalidInputException.class, () -> AuditFixtures.run(AuditFixtures.file(dir,
                "x.safetensors", DType.FLOAT32, rows, null), AuditFixtures.config("fused", "fp32", 0), 1)).getMessage();
        assertTrue(m.contains("no entry 'labels'"), m);
        // the ignore index itself is fine
        AuditReport r = AuditFixtures.run(AuditFixtures.file(dir, "i.safetensors", DType.FLOAT32, rows,
                new long[] {-100, 2}), AuditFixtures.config("fused", "fp32", 0), 1);
        assertEquals(1, r.input().ignoredRows());
        assertNull(AuditFixtures.find(r, "fused", "fp32").firstBroken());
    }

    /**
     * Dense targets from another file, hand-worked: z = [0, 0] gives p = [1/2, 1/2], so the loss is ln 2 whatever
     * the target, and the gradient p - t = [1/4, -1/4] for t = [1/4, 3/4].
     */
    @Test
    void denseTargetsFromAnotherFile() throws IOException {
        Path logits = AuditFixtures.file(dir, "z.safetensors", DType.FLOAT32, new double[][] {{0, 0}, {0, 0}}, null);
        Path targets = dir.resolve("t.safetensors");
        dev.softmaxlab.experiments.tensor.TensorWriter.write(targets,
                dev.softmaxlab.experiments.tensor.TensorFile.Format.SAFETENSORS,
                List.of(new dev.softmaxlab.experiments.tensor.TensorWriter.Tensor("targets", DType.FLOAT64,
                        new long[] {2, 2}, (i, dst) -> {
                            dst[0] = 0.25;
                            dst[1] = 0.75;
                        })), false);
        AuditConfig cfg = AuditFixtures.config("fused,separate", "fp32", 0);
        try (AuditInput in = AuditInput.open(logits, null, null, null, targets.toString(), -100)) {
            AuditReport r = Auditor.run(in, cfg, 2, null, null).report();
            assertEquals(Math.log(2), AuditFixtures.find(r, "fused", "fp32").exactLossMean(), 1e-16);
            assertEquals((float) Math.log(2), AuditFixtures.find(r, "fused", "fp32").lossMean(), 0.0);
            assertEquals(0.0, AuditFixtures.find(r, "fused", "fp32").gradientMaxAbsError());
            assertEquals(0, r.input().confidentRows());
        }
        String m = assertThrows(InvalidInputException.class, () -> AuditInput.open(logits, null, null, "labels",
                targets.toString(), -100)).getMessage();
        assertTrue(m.contains("not both"), m);
    }
}
