package dev.softmaxlab.experiments.report;

/** The {@code tool} object of every document. */
public record ToolInfo(String name, String version) {

    public static ToolInfo current() {
        return new ToolInfo("softmaxlab", ToolVersion.get());
    }
}
