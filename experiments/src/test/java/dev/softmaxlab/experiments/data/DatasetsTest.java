package dev.softmaxlab.experiments.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.config.TrainConfig;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DatasetsTest {

    static TrainConfig config(String json) {
        return TestConfigs.of(json);
    }

    static Dataset load(String json) {
        TrainConfig c = config(json);
        return Datasets.load(c.data(), c.seed());
    }

    static Split prepare(String json) {
        TrainConfig c = config(json);
        return Datasets.prepare(c.data(), c.seed());
    }

    @Test
    void irisIsBundled() {
        Dataset iris = load("{\"dataset\":\"iris\"}");
        assertEquals(150, iris.rows());
        assertEquals(4, iris.featureCount());
        assertEquals(List.of("setosa", "versicolor", "virginica"), iris.classNames());
        assertEquals(600, iris.features().length);
        // First row of Fisher's data: 5.1, 3.5, 1.4, 0.2, setosa; 50 rows per class.
        assertArrayEquals(new double[] {5.1, 3.5, 1.4, 0.2}, Arrays.copyOf(iris.features(), 4));
        assertArrayEquals(new int[] {50, 50, 50}, counts(iris));
        // Rows 35 and 38 as in Fisher's table (UCI's original iris.data has 4.9,3.1,1.5,0.1 for both).
        assertArrayEquals(new double[] {4.9, 3.1, 1.5, 0.2}, Arrays.copyOfRange(iris.features(), 34 * 4, 35 * 4));
        assertArrayEquals(new double[] {4.9, 3.6, 1.4, 0.1}, Arrays.copyOfRange(iris.features(), 37 * 4, 38 * 4));
    }

    @Test
    void digitsAreBundled() {
        Dataset digits = load("{\"dataset\":\"digits\"}");
        assertEquals(1797, digits.rows());
        assertEquals(64, digits.featureCount());
        assertEquals(10, digits.classCount());
        assertEquals("7", digits.classNames().get(7));
        for (double v : digits.features()) {
            assertTrue(v >= 0 && v <= 16 && v == Math.rint(v));
        }
        for (int c : counts(digits)) {
            assertTrue(c >= 170 && c <= 190, "roughly 180 per digit: " + c);
        }
    }

    @Test
    void blobsAreBalancedAroundTheirCentres() {
        Dataset blobs = load("{\"dataset\":\"blobs\",\"samples\":3001,\"classes\":3,"
                + "\"dimensions\":3,\"separation\":5,\"noise\":0.5}");
        assertEquals(3001, blobs.rows());
        assertEquals(3, blobs.featureCount());
        assertArrayEquals(new int[] {1001, 1000, 1000}, counts(blobs));
        // Class means approach the documented centres: radius 5 at angles 0, 120, 240 degrees; third coordinate 0.
        double[][] expected = {{5, 0, 0}, {-2.5, 5 * Math.sqrt(3) / 2, 0}, {-2.5, -5 * Math.sqrt(3) / 2, 0}};
        double[][] mean = classMeans(blobs);
        for (int k = 0; k < 3; k++) {
            // std of a class mean: 0.5/sqrt(1000) ≈ 0.016; 5 sigma
            assertArrayEquals(expected[k], mean[k], 0.08);
        }
    }

    @Test
    void blobsInOneDimensionLieOnALine() {
        Dataset blobs = load("{\"dataset\":\"blobs\",\"samples\":4000,\"classes\":4,"
                + "\"dimensions\":1,\"separation\":2,\"noise\":0.1}");
        double[][] mean = classMeans(blobs);
        double[] expected = {-3, -1, 1, 3};
        for (int k = 0; k < 4; k++) {
            assertEquals(expected[k], mean[k][0], 0.02);
        }
    }

    @Test
    void spiralArmsFollowTheirCurve() {
        Dataset spiral = load("{\"dataset\":\"spiral\",\"samples\":300,\"classes\":3,"
                + "\"separation\":1,\"noise\":0}");
        assertEquals(2, spiral.featureCount());
        assertArrayEquals(new int[] {100, 100, 100}, counts(spiral));
        // Noise-free: the last point of arm 1 is at radius 1, angle 2π/3 + 4.
        double angle = 2 * Math.PI / 3 + 4;
        assertEquals(Math.cos(angle), spiral.features()[2 * 199], 1e-12);
        assertEquals(Math.sin(angle), spiral.features()[2 * 199 + 1], 1e-12);
        // Radius grows linearly along each arm.
        double x = spiral.features()[2 * 150];
        double y = spiral.features()[2 * 150 + 1];
        assertEquals(50.0 / 99, Math.hypot(x, y), 1e-12);
    }

    @Test
    void sameSeedSameDataDifferentSeedDifferentData() {
        for (String name : List.of("blobs", "spiral")) {
            Dataset a = load("{\"dataset\":\"" + name + "\",\"seed\":7}");
            Dataset b = load("{\"dataset\":\"" + name + "\",\"seed\":7}");
            Dataset c = load("{\"dataset\":\"" + name + "\",\"seed\":8}");
            assertArrayEquals(a.features(), b.features(), 0.0);
            assertArrayEquals(a.labels(), b.labels());
            assertFalse(Arrays.equals(a.features(), c.features()));
        }
    }

    @Test
    void prepareSplitsAndStandardizesOnTheTrainPart() {
        Split split = prepare("{\"dataset\":\"iris\",\"testFraction\":0.2}");
        assertEquals(120, split.train().rows());
        assertEquals(30, split.test().rows());
        Standardizer z = Standardizer.fit(split.train());
        for (int j = 0; j < 4; j++) {
            assertEquals(0, z.mean()[j], 1e-12);
            assertEquals(1, z.std()[j], 1e-12);
        }
        Split raw = prepare("{\"dataset\":\"iris\",\"testFraction\":0.2,\"standardize\":false}");
        assertEquals(5.1, raw.train().features()[0]);
        assertArrayEquals(split.test().labels(), raw.test().labels());
        Split again = prepare("{\"dataset\":\"iris\",\"testFraction\":0.2}");
        assertArrayEquals(split.test().features(), again.test().features(), 0.0);
    }

    @Test
    void theSplitFollowsTheSeed() {
        Split a = prepare("{\"dataset\":\"digits\",\"seed\":1}");
        Split b = prepare("{\"dataset\":\"digits\",\"seed\":1}");
        Split c = prepare("{\"dataset\":\"digits\",\"seed\":2}");
        assertArrayEquals(a.train().features(), b.train().features(), 0.0);
        assertArrayEquals(a.test().labels(), b.test().labels());
        assertEquals(a.test().rows(), c.test().rows(), "stratified sizes do not depend on the seed");
        assertFalse(Arrays.equals(a.test().features(), c.test().features()));
        // Class sizes 178 182 177 183 181 182 181 179 174 180: Σ round(n_c / 4) = 45+46+44+46+45+46+45+45+44+45
        assertEquals(451, a.test().rows());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"dataset\":\"blob\"}|dataset = 'blob': expected one of blobs, spiral, iris, digits, csv:PATH"
                + " (did you mean 'blobs'?)",
        "{\"dataset\":\"mnist\"}|dataset = 'mnist': expected one of",
        "{\"dataset\":\"csv:\"}|dataset = 'csv:': name the file after 'csv:'",
        "{\"dataset\":\"blobs\",\"classes\":1}|classes = 1: must be >= 2",
        "{\"dataset\":\"blobs\",\"samples\":5,\"classes\":3}|samples = 5: too few for 3 classes; give at least 6",
        "{\"dataset\":\"blobs\",\"dimensions\":0}|dimensions = 0: must be >= 1",
        "{\"dataset\":\"blobs\",\"samples\":100000000}|samples = 100000000 × dimensions = 2 is 200000000 values",
        "{\"dataset\":\"spiral\",\"noise\":-1}|noise = -1: must be a finite number >= 0",
        "{\"dataset\":\"blobs\",\"separation\":-0.5}|separation = -0.5: must be",
        "{\"dataset\":\"iris\",\"testFraction\":0}|testFraction = 0: must be a finite number in (0, 1)",
        "{\"dataset\":\"iris\",\"testFraction\":1}|testFraction = 1: must be a finite number in (0, 1)",
        "{\"dataset\":\"iris\",\"testFraction\":\"NaN\"}|testFraction = \"NaN\": must be a number",
    })
    void badSettingsNameTheKeyAndTheFix(String json, String expected) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> prepare(json));
        assertTrue(e.getMessage().startsWith(expected) || e.getMessage().contains(expected), e.getMessage());
    }

    static int[] counts(Dataset d) {
        int[] c = new int[d.classCount()];
        for (int label : d.labels()) {
            c[label]++;
        }
        return c;
    }

    static double[][] classMeans(Dataset d) {
        double[][] mean = new double[d.classCount()][d.featureCount()];
        int[] c = counts(d);
        for (int i = 0; i < d.rows(); i++) {
            for (int j = 0; j < d.featureCount(); j++) {
                mean[d.labels()[i]][j] += d.features()[i * d.featureCount() + j] / c[d.labels()[i]];
            }
        }
        return mean;
    }
}
