/**
 * Charts as plain data, and their drawings. A chart is a {@link dev.softmaxlab.experiments.chart.Chart}: a
 * {@link dev.softmaxlab.experiments.chart.LineChart}, a {@link dev.softmaxlab.experiments.chart.HeatMap} or a
 * {@link dev.softmaxlab.experiments.chart.DotChart}, holding the values exactly as the documents give them (non-finite
 * ones included). {@link dev.softmaxlab.experiments.chart.ChartRenderer} draws one as SVG and PNG with JFreeChart,
 * {@link dev.softmaxlab.experiments.chart.VegaLite} writes it as a Vega-Lite spec, and
 * {@link dev.softmaxlab.experiments.chart.Palette} gives every path the same colour and every precision the same dash
 * and marker in every chart.
 */
package dev.softmaxlab.experiments.chart;
