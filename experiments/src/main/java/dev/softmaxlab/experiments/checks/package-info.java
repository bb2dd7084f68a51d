/**
 * The one wording of a bad setting ({@link dev.softmaxlab.experiments.checks.Require}): each settings record's
 * constructor states its ranges through it, so a range reads the same from a flag, a config file or a spec.
 * A leaf package: it imports nothing of the project but core.
 */
package dev.softmaxlab.experiments.checks;
