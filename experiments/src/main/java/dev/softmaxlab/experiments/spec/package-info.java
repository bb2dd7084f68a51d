/**
 * Experiment specs ({@code softmaxlab.spec/1}): the JSON file that names a base training config, a grid of settings
 * to vary and the expectations a sweep checks. Loading (with every problem reported by its JSON path), grid
 * expansion in a deterministic order, and the evaluation of expectations over result rows live here; running the
 * grid is {@code sweep}'s job. The bundled specs are classpath resources listed by {@link
 * dev.softmaxlab.experiments.spec.BundledSpecs}.
 */
package dev.softmaxlab.experiments.spec;
