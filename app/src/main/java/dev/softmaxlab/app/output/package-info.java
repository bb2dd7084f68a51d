/** The output formats (text tables, JSON, JSON Lines, CSV) and progress display on stderr. */
package dev.softmaxlab.app.output;
