package dev.softmaxlab.experiments.audit;

import java.math.BigDecimal;
import java.math.MathContext;

/** exp and log in BigDecimal for the tests: Taylor series after halving, squaring back; Newton for log. */
final class BigExp {

    private BigExp() {
    }

    static BigDecimal exp(BigDecimal x, MathContext mc) {
        int n = Math.max(0, Math.getExponent(Math.abs(x.doubleValue()) + 1e-300) + 10);
        BigDecimal r = x.divide(BigDecimal.valueOf(2).pow(n), mc);
        BigDecimal sum = BigDecimal.ONE;
        BigDecimal term = BigDecimal.ONE;
        for (int k = 1; k < 100; k++) {
            term = term.multiply(r, mc).divide(BigDecimal.valueOf(k), mc);
            sum = sum.add(term, mc);
        }
        for (int i = 0; i < n; i++) {
            sum = sum.multiply(sum, mc);
        }
        return sum;
    }

    static BigDecimal log(BigDecimal x, MathContext mc) {
        BigDecimal y = new BigDecimal(Math.log(x.doubleValue()));
        for (int i = 0; i < 4; i++) {
            BigDecimal ey = exp(y, mc);
            y = y.add(BigDecimal.valueOf(2).multiply(x.subtract(ey, mc), mc).divide(x.add(ey, mc), mc), mc);
        }
        return y;
    }
}
