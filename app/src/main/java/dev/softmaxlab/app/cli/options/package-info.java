/** Options shared by several commands, as picocli mixins. */
package dev.softmaxlab.app.cli.options;
