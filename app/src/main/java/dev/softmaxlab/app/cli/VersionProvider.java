package dev.softmaxlab.app.cli;

import dev.softmaxlab.experiments.report.ToolVersion;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the tool's version and the JVM it runs on. */
public final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {
            "softmaxlab " + ToolVersion.get(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch")
        };
    }
}
