/**
 * Names a user may mistype (options, values, metrics, columns): the one "did you mean" helper,
 * {@link dev.softmaxlab.experiments.names.NearestName}. A leaf package, so every other package may use it.
 */
package dev.softmaxlab.experiments.names;
