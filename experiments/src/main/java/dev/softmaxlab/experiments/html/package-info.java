/**
 * The self-contained HTML report: {@link dev.softmaxlab.experiments.html.Page} holds what it shows (the reading, the
 * charts, the tables, the config and the provenance) and {@link dev.softmaxlab.experiments.html.HtmlPage} writes it as
 * one file with every chart inline as SVG and a content security policy that lets it load nothing from anywhere.
 */
package dev.softmaxlab.experiments.html;
