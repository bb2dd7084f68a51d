package dev.softmaxlab.core.exact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ExactLossHead} against constants computed independently with mpmath at 50 digits (the script is in each
 * case's comment), against central finite differences of its own double-double loss, and against
 * {@link ExactCrossEntropy} when no option is given.
 */
class ExactLossHeadTest {

    /**
     * One row with its mpmath reference, from
     * <pre>
     *   mp.dps = 50; z' = c·tanh(z/c); lse = log Σ e^{z'}; p = e^{z' - lse}
     *   q_k = (1-α)·w_y·[k = y] + α/C·w_k (sparse) or w_k((1-α)t_k + α/C) (dense); Q = Σ q
     *   loss = Σ q_k (lse - z'_k) + λ·lse²;  g_j = ((Q + 2λ·lse)·p_j - q_j)·sech²(z_j/c)
     * </pre>
     * printed with mp.nstr(·, 40).
     */
    record Case(String name, double[] z, int label, double[] t, double[] w, double alpha, double lambda, double cap,
                String loss, String[] gradient) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("sparse, weights, smoothing, z-loss, cap 2", new double[] {2.5, -1.0, 0.75, 3.0, -0.5}, 1,
                        null, new double[] {0.5, 2, 1, 3, 0.25}, 0.1, 1e-3, 2.0,
                        "6.76136763922653176142270116568245923773", new String[] {
                            "0.2001543582888712168623236486112957093384", "-1.405656575687044136698272095347110254765",
                            "0.21936144555399268975243881653841321468", "0.135703041765897231857318603733042482272",
                            "0.07171824548016460826953541207427955214958"}),
                new Case("dense, weights, smoothing, z-loss, cap 30", new double[] {1.0, 2.0, -3.0, 0.5}, -1,
                        new double[] {0.1, 0.2, 0.3, 0.4}, new double[] {1, 2, 0.5, 4}, 0.05, 1e-4, 30.0,
                        "4.248000760917984947604915344775970492287", new String[] {
                            "0.4066907085259628020338334904095975059117", "0.9859405067757250877992945266379816856546",
                            "-0.1378430786220536954467825530256773927441",
                            "-1.257402954422781832973519565594054329298"}),
                new Case("a tiny loss under a cap of 30", new double[] {50.0, 0.0, -10.0}, 0, null, null, 0, 0, 30.0,
                        "7.391884214283474037015439680922366367127e-13", new String[] {
                            "-9.833785524727670092847668573924507033657e-14",
                            "7.391405814673855908744059143911345900732e-13",
                            "4.289472288374755096286940988759492513681e-17"}),
                new Case("saturated cap of 5: sech² of 200 kept", new double[] {1000.0, 1.0, -1000.0}, 1, null, null,
                        0, 0, 5.0, "4.031083393978483012922991781262786232288", new String[] {
                            "7.524320796657025357259509279788992243083e-174",
                            "-0.9439795842882433669148347846958571951795",
                            "3.416036356786330141159770125558058450305e-178"}),
                new Case("sparse, weights and z-loss, no cap", new double[] {0.3, -0.2, 1.7, 0.0}, 2, null,
                        new double[] {1.5, 0.5, 2.5, 1.0}, 0, 0.01, Double.NaN,
                        "1.188253804788899450608812691691187099318", new String[] {
                            "0.3972064851119320908753670442336773568574", "0.2409179114570764772048320552760601986953",
                            "-0.8892482747436033086820518278281729349362",
                            "0.2942578015438607930085153350090503329528"}));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesMpmath(Case c) {
        ExactLossHead head = new ExactLossHead(c.alpha, c.w, c.lambda, c.cap);
        assertTrue(head.evaluate(c.z, 0, c.z.length, c.label, c.t, 0));
        BigDecimal loss = new BigDecimal(c.loss);
        // the double-double itself: 40 mpmath digits hold it to 2^-100 relative (the first-order cap correction
        // leaves about 2^-106·|z'|² relative)
        BigDecimal err = head.loss().toBigDecimal().subtract(loss).abs();
        assertTrue(err.compareTo(loss.abs().multiply(new BigDecimal("1e-28"))) <= 0, c + ": loss off by " + err);
        assertEquals(loss.doubleValue(), head.loss().doubleValue(), c + ": loss rounded once");
        for (int j = 0; j < c.z.length; j++) {
            // BigDecimal.doubleValue is correctly rounded: the reference rounded once to double
            assertEquals(new BigDecimal(c.gradient[j]).doubleValue(), head.gradient()[j], c + ": gradient " + j);
        }
        if (c.label >= 0) {
            BigDecimal gy = new BigDecimal(c.gradient[c.label]);
            BigDecimal e = head.labelGradient().toBigDecimal().subtract(gy).abs();
            assertTrue(e.compareTo(gy.abs().multiply(new BigDecimal("1e-28"))) <= 0, c + ": label gradient " + e);
        }
    }

    /** tanh and sech² of the cap, on both sides of the series/exponential switch at 2^-8, against mpmath. */
    @ParameterizedTest
    @ValueSource(strings = {
        "1e-12 9.999999999999999798866472959222820339195e-13 0.999999999999999999999999",
        "0.001 0.0009999996666668000207626926629550768958706 0.9999990000006666662888474524062758794177",
        "-0.002 -0.001999997333337600034725271579657235393669 0.9999960000106666424887727435251225231597",
        "0.0039062499999999996 0.003906230131906339647398459567796628687708 0.9999847413661565869803590029913901287795",
        "0.00390625 0.003906230131906340081072711184413526594684 0.999984741366156586976970940133196607481",
        "0.3 0.2913126124515908956581600157693989482617 0.9151369618266292090568695563431712388414",
        "0.49999999999999994 0.4621171572600097148456994434922033175284 0.7864477329659274504986443071796597648957",
        "0.5 0.4621171572600097585023184836436725487303 0.7864477329659274101496989343436361024891",
        "7 0.9999983369439446717357164159506671128821 0.000003326109344901085403161264648636107055802",
        "40 0.999999999999999999999999999999999963903 7.219405551381660689248513429400109424085e-35",
        "-2.5 -0.9866142981514302888812760392373496392125 0.02659222668316061965599413801657694702052"})
    void tanhAndSech2MatchMpmath(String line) {
        String[] f = line.split(" ");
        DoubleDouble[] ts = ExactLossHead.tanhSech2(DoubleDouble.of(Double.parseDouble(f[0])));
        BigDecimal tanh = new BigDecimal(f[1]);
        BigDecimal sech2 = new BigDecimal(f[2]);
        // below 2^-8 the series' double tail holds tanh to 2^-85 relative (about 2.6e-26); above, 1 - e^{-2a} cancels
        // log2(1/2a) bits of e's absolute error (2^-96 near 1): 2^-96/(2a) relative; from a = 1/4 on within 1e-30
        double a = Math.abs(Double.parseDouble(f[0]));
        String tolerance = a < 0x1p-8 ? "1e-25" : a < 0.25 ? Double.toString(0x1p-96 / (2 * a)) : "1e-30";
        assertTrue(ts[0].toBigDecimal().subtract(tanh).abs().compareTo(tanh.abs().multiply(new BigDecimal(tolerance)))
                <= 0, "tanh " + f[0] + " = " + ts[0]);
        assertTrue(ts[1].toBigDecimal().subtract(sech2).abs().compareTo(sech2.multiply(new BigDecimal("1e-23")))
                <= 0, "sech² " + f[0] + " = " + ts[1]); // 1e-12's constant has 24 digits
    }

    /** With no option the head is the plain cross-entropy, bit for bit. */
    @Test
    void withoutOptionsItIsExactCrossEntropy() {
        SplittableRandom rng = new SplittableRandom(11);
        ExactLossHead head = new ExactLossHead(0, null, 0, Double.NaN);
        ExactCrossEntropy ce = new ExactCrossEntropy();
        for (int n = 0; n < 50; n++) {
            int c = 1 + rng.nextInt(40);
            double[] z = new double[c];
            for (int j = 0; j < c; j++) {
                z[j] = rng.nextDouble(-30, 30);
            }
            int y = rng.nextInt(c);
            assertTrue(head.evaluate(z, 0, c, y, null, 0));
            assertTrue(ce.evaluate(z, 0, c, y, null, 0));
            assertEquals(ce.loss(), head.loss());
            assertEquals(ce.labelGradient(), head.labelGradient());
            for (int j = 0; j < c; j++) {
                assertEquals(ce.gradient()[j], head.gradient()[j]);
            }
        }
    }

    /** A non-finite logit: no reference, as for the plain cross-entropy. */
    @Test
    void nonFiniteLogitHasNoReference() {
        ExactLossHead head = new ExactLossHead(0.1, null, 1e-4, 30);
        assertFalse(head.evaluate(new double[] {1, Double.NaN, 2}, 0, 3, 0, null, 0));
        assertFalse(head.evaluate(new double[] {1, Double.POSITIVE_INFINITY, 2}, 0, 3, 0, null, 0));
    }

    /** A divisor divides loss and gradient before the one rounding (a mean over one weighted row). */
    @Test
    void divisorDividesBeforeRounding() {
        double[] z = {0.3, -0.2, 1.7, 0.0};
        double[] w = {1.5, 0.5, 2.5, 1.0};
        ExactLossHead head = new ExactLossHead(0, w, 0.01, Double.NaN);
        head.evaluate(z, 0, 4, 2, null, 0);
        BigDecimal summed = head.loss().toBigDecimal();
        double[] g = head.gradient().clone();
        head.evaluate(z, 0, 4, 2, null, 0, 2.5);
        BigDecimal expected = summed.divide(new BigDecimal("2.5"), MathContext.DECIMAL128);
        assertEquals(expected.doubleValue(), head.loss().doubleValue());
        // the mpmath gradient of the weightedZ case divided by 2.5, rounded once
        assertEquals(new BigDecimal("-0.8892482747436033086820518278281729349362")
                .divide(new BigDecimal("2.5"), MathContext.DECIMAL128).doubleValue(), head.gradient()[2]);
        assertTrue(Math.abs(head.gradient()[0] - g[0] / 2.5) <= Math.ulp(g[0] / 2.5));
    }

    static Stream<Arguments> seeds() {
        return Stream.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L).map(Arguments::of);
    }

    /**
     * Central finite differences of the double-double loss, on well-conditioned seeded rows (logits in [-3, 3], C in
     * [1, 9]) with every option on at random: step h = 1e-5, so the truncation error h²·L'''/6 is below 1e-10 and
     * the double-double loss's own error (2^-100) divided by h is negligible.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void gradientMatchesCentralDifferences(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int c = 1 + rng.nextInt(9);
        double[] z = new double[c];
        double[] w = new double[c];
        for (int j = 0; j < c; j++) {
            z[j] = rng.nextDouble(-3, 3);
            w[j] = rng.nextDouble(0.25, 4);
        }
        boolean dense = rng.nextBoolean();
        double[] t = null;
        if (dense) {
            t = new double[c];
            double sum = 0;
            for (int j = 0; j < c; j++) {
                t[j] = rng.nextDouble(0.01, 1);
                sum += t[j];
            }
            for (int j = 0; j < c; j++) {
                t[j] /= sum;
            }
        }
        int y = dense ? -1 : rng.nextInt(c);
        ExactLossHead head = new ExactLossHead(rng.nextBoolean() ? 0.1 : 0, rng.nextBoolean() ? w : null,
                rng.nextBoolean() ? 0.05 : 0, rng.nextBoolean() ? 2.0 : Double.NaN);
        head.evaluate(z, 0, c, y, t, 0);
        double[] g = head.gradient().clone();
        double h = 1e-5;
        for (int j = 0; j < c; j++) {
            double[] zp = z.clone();
            double[] zm = z.clone();
            zp[j] += h;
            zm[j] -= h;
            head.evaluate(zp, 0, c, y, t, 0);
            DoubleDouble lp = head.loss();
            head.evaluate(zm, 0, c, y, t, 0);
            DoubleDouble lm = head.loss();
            double fd = lp.sub(lm).hi() / (zp[j] - zm[j]);
            assertEquals(g[j], fd, 1e-9, "seed " + seed + ", class " + j);
        }
    }

    @Test
    void refusesWrongWeightCount() {
        ExactLossHead head = new ExactLossHead(0, new double[] {1, 2}, 0, Double.NaN);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> head.evaluate(new double[] {1, 2, 3}, 0, 3, 0, null, 0));
    }
}
