package dev.softmaxlab.experiments.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Configs shipped with the tool as files a user can read and copy: {@code demo.json} (the flagship comparison of
 * {@code softmaxlab demo}), a bare config object that {@code train --config} takes as it is.
 */
public final class Presets {

    /** The demo's preset, beside this class in the jar. */
    public static final String DEMO = "demo.json";

    private Presets() {
    }

    /** The preset's text, exactly as shipped. */
    public static String text(String name) {
        try (InputStream in = Presets.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("bundled preset " + name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled preset " + name, e);
        }
    }

    /** The preset resolved over the defaults. */
    public static TrainConfig config(String name) {
        try {
            return TrainConfig.resolve(new ObjectMapper().readTree(text(name)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bundled preset " + name + " is not valid JSON", e);
        }
    }
}
