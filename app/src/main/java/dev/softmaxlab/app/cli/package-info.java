/**
 * One thin class per command: each assembles domain objects from its options, hands them to {@code experiments} or
 * {@code core}, and formats what comes back. No numerics here.
 */
package dev.softmaxlab.app.cli;
