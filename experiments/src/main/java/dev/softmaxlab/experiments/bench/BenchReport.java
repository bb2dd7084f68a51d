package dev.softmaxlab.experiments.bench;

import dev.softmaxlab.experiments.report.Provenance;
import dev.softmaxlab.experiments.report.ToolInfo;
import java.util.List;

/**
 * The {@code softmaxlab.bench/1} document: what was timed, on which kernels, the bit check that ran first, and the
 * timings. Field names are the JSON's.
 *
 * @param schema     {@value #SCHEMA}
 * @param kernels    which kernel provider this JVM runs, and why
 * @param config     the resolved settings
 * @param bitChecks  every fast kernel against its reference on a sample of rows, before any timing
 * @param results    one timing per shape, precision, path and kernel, in that order (empty when a check failed)
 */
public record BenchReport(String schema, ToolInfo tool, Provenance provenance, Kernels kernels, Settings config,
        List<BitCheck> bitChecks, List<Result> results) {

    public static final String SCHEMA = "softmaxlab.bench/1";

    public BenchReport {
        bitChecks = List.copyOf(bitChecks);
        results = List.copyOf(results);
    }

    /** True when every bit check found identical bits. */
    public boolean checksPassed() {
        return bitChecks.stream().allMatch(BitCheck::identical);
    }

    /**
     * @param provider {@code vector} or {@code scalar}: the fast kernels this JVM runs
     * @param choice   one line saying why
     */
    public record Kernels(String provider, String choice) {
    }

    /** {@link BenchConfig} as the document writes it. */
    public record Settings(List<String> shapes, List<String> paths, List<String> precisions, String targets,
            int threads, String variant, int warmup, int iterations, double seconds, long seed) {
    }

    /**
     * @param rows            the number of sampled rows compared
     * @param identical       loss, row losses, probabilities, gradient, events and firstNonFinite all identical
     * @param firstDifference where they first differ, or null
     */
    public record BitCheck(String shape, String precision, String path, String kernel, int rows, boolean identical,
            String firstDifference) {
    }

    /**
     * @param kernel             the kernel variant that ran: a path without a fast kernel for this precision and
     *                           these targets runs, and reports, its reference
     * @param evaluations        timed evaluations
     * @param nsPerElementMedian median over the timed evaluations of (wall time / (B·C)), forward plus backward
     * @param nsPerElementMin    the fastest evaluation
     * @param nsPerElementMax    the slowest evaluation
     * @param gbPerSecond        bytes the evaluation must move (logits read, gradient written, dense targets read;
     *                           8 bytes each; plus its working memory, extraBytes) over the median time
     * @param extraBytes         the path's working memory beyond the logits and the gradient, as held by its result
     *                           (made without probabilities, as training runs): O(B + C) for fused, B·C more for
     *                           the paths that form the probabilities
     * @param ratioToFused       median / the median of {@code fused} at the same shape, precision and variant
     *                           choice; null when fused was not timed
     */
    public record Result(String shape, int rows, int classes, String precision, String path, String kernel,
            int threads, int evaluations, double nsPerElementMedian, double nsPerElementMin, double nsPerElementMax,
            double gbPerSecond, long extraBytes, Double ratioToFused) {
    }
}
