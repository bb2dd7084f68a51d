/**
 * Sweeps: running every grid point of a spec as one training invocation, on several threads, each result written
 * atomically to {@code DIR/runs/<id>.json} under a run id that hashes its resolved config; resuming, sharding,
 * merging shards, the smoke mode, and the summary ({@code softmaxlab.sweep/1}, JSON and wide CSV) with the
 * expectations' verdicts. Nothing is written outside the output directory; no name from a spec becomes a file name.
 */
package dev.softmaxlab.experiments.sweep;
