/**
 * The JSON Schemas (draft 2020-12) of the documents the tool reads and writes: spec, report, sweep summary and
 * probe. Stored as resource files next to this package and printed by {@code softmaxlab schema}.
 */
package dev.softmaxlab.experiments.schema;
