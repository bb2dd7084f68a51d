package dev.softmaxlab.app;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * What to say when the JVM runs out of memory: advice that can help. Raising the heap helps only when the machine
 * has memory to spare; inputs are bounded ({@code --max-file-size}) and sizes that multiply are checked before they
 * are allocated, so what is left is a run too big for this heap.
 */
final class MemoryAdvice {

    private MemoryAdvice() {
    }

    static String outOfMemory() {
        long heapMiB = Runtime.getRuntime().maxMemory() >> 20;
        long machineMiB = physicalMemoryMiB();
        String raise;
        if (machineMiB > 0 && heapMiB * 2 <= machineMiB * 3 / 4) {
            raise = String.format(Locale.ROOT, "raise the heap (this machine has %d MiB), e.g. java -Xmx%dm -jar "
                    + "softmaxlab.jar ..., or ", machineMiB, Math.min(heapMiB * 2, machineMiB * 3 / 4));
        } else {
            raise = machineMiB > 0 ? String.format(Locale.ROOT, "the heap is already most of this machine's %d MiB, "
                    + "so ", machineMiB) : "";
        }
        return String.format(Locale.ROOT, "out of memory with a %d MiB heap: %smake the run smaller: fewer "
                + "--samples or --classes, smaller --hidden sizes, a smaller --batch-size, fewer --threads or --jobs",
                heapMiB, raise);
    }

    private static long physicalMemoryMiB() {
        try {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return os.getTotalMemorySize() >> 20;
            }
        } catch (RuntimeException | LinkageError e) {
            // not a HotSpot JVM: say nothing about the machine
        }
        return -1;
    }
}
