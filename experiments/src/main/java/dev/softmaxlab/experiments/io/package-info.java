/**
 * Reading what users give the tool, without trusting it: bounded reads ({@link dev.softmaxlab.experiments.io.InputLimits},
 * {@link dev.softmaxlab.experiments.io.BoundedInput}, {@link dev.softmaxlab.experiments.io.BoundedLines}), and quoting
 * user values in messages ({@link dev.softmaxlab.experiments.io.UserText}).
 */
package dev.softmaxlab.experiments.io;
