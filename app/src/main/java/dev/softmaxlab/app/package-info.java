/**
 * The picocli command line: {@link dev.softmaxlab.app.App} holds {@code main} and the factory that wires the
 * commands; {@link dev.softmaxlab.app.cli.ExitCodes} names every exit code. Commands live in {@code cli}, shared options
 * in {@code cli.options}, output formats in {@code output}.
 */
package dev.softmaxlab.app;
