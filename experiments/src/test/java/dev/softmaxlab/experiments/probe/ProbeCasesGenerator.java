package dev.softmaxlab.experiments.probe;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Writes seeded probe cases as JSON Lines to stdout, for measuring {@code probe} on large inputs (the files are too
 * big to commit). Standalone, so it runs from source without a build:
 *
 * <pre>
 * java experiments/src/test/java/dev/softmaxlab/experiments/probe/ProbeCasesGenerator.java 10000 1000 42 &gt; cases.jsonl
 * time java -jar app/target/softmaxlab.jar probe --input cases.jsonl --format jsonl --precision fp64,fp32 &gt; /dev/null
 * </pre>
 *
 * Case i has logits N(0, s²) with s cycling through 1, 10, 100, 1000 (from harmless to overflowing); even cases
 * have a sparse label, odd cases a dense target (a random distribution, renormalized).
 */
public final class ProbeCasesGenerator {

    private ProbeCasesGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: ProbeCasesGenerator CASES CLASSES SEED");
            System.exit(2);
        }
        int cases = Integer.parseInt(args[0]);
        int classes = Integer.parseInt(args[1]);
        SplittableRandom rnd = new SplittableRandom(Long.parseLong(args[2]));
        double[] scales = {1, 10, 100, 1000};
        try (Writer w = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16)) {
            double[] t = new double[classes];
            for (int i = 0; i < cases; i++) {
                w.write("{\"logits\":[");
                for (int j = 0; j < classes; j++) {
                    w.write(j == 0 ? "" : ",");
                    w.write(Double.toString(gaussian(rnd) * scales[i % 4]));
                }
                if (i % 2 == 0) {
                    w.write("],\"label\":" + rnd.nextInt(classes) + "}\n");
                    continue;
                }
                double sum = 0;
                for (int j = 0; j < classes; j++) {
                    t[j] = -Math.log(1 - rnd.nextDouble()); // exponential: a flat Dirichlet after normalizing
                    sum += t[j];
                }
                w.write("],\"target\":[");
                for (int j = 0; j < classes; j++) {
                    w.write(j == 0 ? "" : ",");
                    w.write(Double.toString(t[j] / sum));
                }
                w.write("]}\n");
            }
        }
    }

    /** Box-Muller, so the stream depends only on the seed. */
    private static double gaussian(SplittableRandom rnd) {
        return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }
}
