package dev.softmaxlab.experiments.report;

import java.time.Instant;
import java.util.List;

/**
 * Where a report came from. Math and StrictMath may differ across platforms, so the JVM and the OS are recorded.
 * The resolved config and its seed sit beside this in each report's {@code config}.
 *
 * @param toolVersion the softmaxlab version
 * @param commandLine the arguments as given
 * @param javaVendor  {@code java.vendor}
 * @param javaVersion {@code java.version}
 * @param osName      {@code os.name}
 * @param osVersion   {@code os.version}
 * @param osArch      {@code os.arch}
 * @param startTime   ISO-8601 instant the run started
 */
public record Provenance(String toolVersion, List<String> commandLine, String javaVendor, String javaVersion,
                         String osName, String osVersion, String osArch, String startTime) {

    public Provenance {
        commandLine = List.copyOf(commandLine);
    }

    /** Captures this JVM's provenance. */
    public static Provenance capture(String toolVersion, List<String> commandLine, Instant start) {
        return new Provenance(toolVersion, commandLine, System.getProperty("java.vendor"),
                System.getProperty("java.version"), System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("os.arch"), start.toString());
    }
}
