package dev.softmaxlab.core.precision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ArithmeticTest {

    @Test
    void fp32ReproducesJavaFloatArithmetic() {
        Arithmetic a = new Arithmetic(PrecisionSpec.of(Precision.FP32));
        SplittableRandom random = new SplittableRandom(11);
        for (int n = 0; n < 20_000; n++) {
            float x = (float) Math.scalb(random.nextDouble() - 0.5, random.nextInt(-30, 30));
            float y = (float) Math.scalb(random.nextDouble() - 0.5, random.nextInt(-30, 30));
            assertEquals(x + y, a.add(x, y));
            assertEquals(x - y, a.sub(x, y));
            assertEquals(x * y, a.mul(x, y));
            assertEquals(x / y, a.div(x, y));
            assertEquals((float) StrictMath.exp(x), a.exp(x));
        }
    }

    @Test
    void fp64RoundsNothing() {
        Arithmetic a = new Arithmetic(PrecisionSpec.of(Precision.FP64));
        assertEquals(0.1 + 0.2, a.add(0.1, 0.2));
        assertEquals(StrictMath.log1p(1e-20), a.log1p(1e-20));
    }

    @Test
    void fp16OperationsRoundOnceToTheFormat() {
        Arithmetic a = new Arithmetic(PrecisionSpec.of(Precision.FP16));
        assertEquals(Double.POSITIVE_INFINITY, a.exp(11.1)); // e^11.1 ≈ 66171 > 65520
        assertEquals(59872.0, a.exp(11.0)); // e^11 = 59874.14 -> nearest multiple of 32
        assertEquals(0.0, a.exp(-20)); // 2.06e-9 < 2^-25
        assertEquals(1.0, a.add(1.0, Math.scalb(1.0, -11))); // tie to even
        assertEquals(2048.0, a.add(2048.0, 1.0)); // 2049 is a tie between 2048 and 2050
    }

    @Test
    void sumsAccumulateInTheAccumulationFormat() {
        // 4096 ones: in fp16 accumulation the partial sum sticks at 2048 (2048 + 1 ties back to 2048)
        double[] ones = new double[4096];
        java.util.Arrays.fill(ones, 1.0);
        assertEquals(2048.0, new Arithmetic(new PrecisionSpec(Precision.FP16, Precision.FP16)).sum(ones, 0, 4096));
        assertEquals(4096.0, new Arithmetic(PrecisionSpec.of(Precision.FP16)).sum(ones, 0, 4096)); // fp32 accumulate
        // the end of the sum is rounded to the compute format: 70000 ones overflow fp16 only at the end
        double[] many = new double[70_000];
        java.util.Arrays.fill(many, 1.0);
        assertEquals(Double.POSITIVE_INFINITY, new Arithmetic(PrecisionSpec.of(Precision.FP16)).sum(many, 0, 70_000));
    }

    @Test
    void compensatedSumBeatsPlainSumInFp32() {
        // 1 followed by 10,000 values of 2^-25: each plain addition in fp32 is lost, the compensated sum keeps them
        double[] v = new double[10_001];
        v[0] = 1.0;
        for (int i = 1; i < v.length; i++) {
            v[i] = Math.scalb(1.0, -25);
        }
        Arithmetic a = new Arithmetic(PrecisionSpec.of(Precision.FP32));
        assertEquals(1.0, a.sum(v, 0, v.length));
        double exact = 1.0 + 10_000 * Math.scalb(1.0, -25);
        assertEquals((float) exact, a.compensatedSum(v, 0, v.length, -1));
        assertEquals(10_000 * Math.scalb(1.0, -25), a.compensatedSum(v, 0, v.length, 0)); // skip index 0
    }
}
