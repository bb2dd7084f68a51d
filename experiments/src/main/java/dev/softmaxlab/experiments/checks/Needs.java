package dev.softmaxlab.experiments.checks;

/**
 * What a setting needs to have any effect: {@code momentum} needs {@code optimizer} = {@code momentum}. A settings
 * record answers it for its own keys; the config layer refuses a key the user gave that would change nothing, and
 * words it for the place the key came from ({@code --momentum needs --optimizer momentum} for a flag).
 *
 * @param key    the key whose value decides, e.g. optimizer
 * @param values the values that would make the setting apply, as text, e.g. "momentum" or "blobs or spiral"
 */
public record Needs(String key, String values) {
}
