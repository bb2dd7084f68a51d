package dev.softmaxlab.experiments.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.InvalidInputException;
import org.junit.jupiter.api.Test;

class CommandLineCaseTest {

    @Test
    void sparseCase() {
        ProbeCase c = CommandLineCase.parse("1000,0,-1000", 2, null);
        assertArrayEquals(new double[] {1000, 0, -1000}, c.logits());
        assertEquals(2, c.label());
        assertTrue(c.isSparse());
        assertEquals(3, c.classes());
    }

    @Test
    void denseCaseWithNonFiniteLogits() {
        ProbeCase c = CommandLineCase.parse("1,NaN,-inf", null, "0.1,0.9,0");
        assertEquals(1.0, c.logits()[0]);
        assertTrue(Double.isNaN(c.logits()[1]));
        assertEquals(Double.NEGATIVE_INFINITY, c.logits()[2]);
        assertArrayEquals(new double[] {0.1, 0.9, 0}, c.target());
        assertEquals(-1, c.label());
    }

    private static String error(String logits, Integer label, String target) {
        return assertThrows(InvalidInputException.class, () -> CommandLineCase.parse(logits, label, target))
                .getMessage();
    }

    @Test
    void errorsNameTheOptionTheValueAndTheFix() {
        assertEquals("--logits is empty: give at least one logit, e.g. 2.0,1.0,0.1", error("", 0, null));
        assertEquals("--label 3 is out of range for 3 classes: give a class index in 0..2, or the ignore index -100 to leave the row out", error("1,2,3", 3, null));
        assertEquals("--label -1 is out of range for 3 classes: give a class index in 0..2, or the ignore index -100 to leave the row out", error("1,2,3", -1, null));
        assertTrue(error("1,abc,3", 0, null).startsWith("--logits value 2: 'abc' is not a number"));
        assertTrue(error("1,,3", 0, null).startsWith("--logits value 2 is empty"));
        assertTrue(error("1,2", null, "0.5,0.5,0").startsWith("--target has 3 values but --logits has 2"));
        assertTrue(error("1,2", null, "1.5,-0.5").startsWith("--target value -0.5 at class 1 is not a probability"));
        assertTrue(error("1,2", null, "0.5,0.4").startsWith("--target sums to 0.9"));
        assertTrue(error("1,2", null, "NaN,1").startsWith("--target value NaN at class 0 is not a probability"));
        assertTrue(error("1,2", 0, "0.5,0.5").startsWith("--label and --target were both given"));
        assertTrue(error("1,2", null, null).startsWith("--logits needs a target"));
    }

    @Test
    void targetSumToleranceIsOneInAMillion() {
        // 0.5 + 0.5000009 is 1 + 9e-7: inside the tolerance; 1 + 2e-6 is outside
        CommandLineCase.parse("1,2", null, "0.5,0.5000009");
        String m = error("1,2", null, "0.5,0.500002");
        assertTrue(m.startsWith("--target sums to 1.00000") && m.contains(", not 1: "), m);
    }
}
