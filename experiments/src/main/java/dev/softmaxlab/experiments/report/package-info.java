/**
 * Reports and their JSON: the configured {@link dev.softmaxlab.experiments.report.Json} mapper (strict RFC 8259,
 * non-finite numbers as the strings "NaN", "Infinity", "-Infinity"), atomic file writes, and provenance.
 */
package dev.softmaxlab.experiments.report;
