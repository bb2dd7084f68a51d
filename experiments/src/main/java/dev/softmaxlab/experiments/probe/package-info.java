/**
 * {@code probe}: evaluates logit rows ("cases") through chosen paths and precisions and reports each result with
 * its events. Owns the case format (JSON Lines and command-line vectors, with one-line errors naming the line and
 * the field), the evaluation of one case through paths × precisions, the JSON shape of schema
 * {@code softmaxlab.probe/1}, and the ordered parallel pipeline that keeps output in input order whatever the
 * thread count. Two fast readers/writers stand next to Jackson and give its exact values and bytes: PlainCaseLine
 * for plain input lines and CaseNumberText for the output vectors.
 */
package dev.softmaxlab.experiments.probe;
