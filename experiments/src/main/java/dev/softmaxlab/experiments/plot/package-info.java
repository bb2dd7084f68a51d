/**
 * {@code softmaxlab plot}: reads a document the tool wrote (a train report, a sweep directory, a probe document),
 * refuses anything else in one line ({@link dev.softmaxlab.experiments.plot.PlotInput}), builds its charts and the
 * generated reading ({@link dev.softmaxlab.experiments.plot.TrainCharts},
 * {@link dev.softmaxlab.experiments.plot.SweepCharts}, {@link dev.softmaxlab.experiments.plot.ProbeCharts}), and
 * writes each chart as SVG, PNG and optionally Vega-Lite, with the self-contained {@code index.html}
 * ({@link dev.softmaxlab.experiments.plot.Plot}).
 */
package dev.softmaxlab.experiments.plot;
