package dev.softmaxlab.app.cli;

import dev.softmaxlab.experiments.sweep.RunOutcome;
import dev.softmaxlab.experiments.sweep.SweepListener;
import java.io.PrintWriter;

/**
 * The progress line of a sweep on a terminal's stderr: runs done of total, failures, elapsed time and an ETA from the
 * mean time per run so far. Rewritten in place with a carriage return, cleared at the end.
 */
final class SweepProgress implements SweepListener {

    private final PrintWriter err;
    private int resumed;
    private int failed;

    SweepProgress(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void started(int toRun, int resumed) {
        this.resumed = resumed;
        line(0, toRun, 0, 0);
    }

    @Override
    public void runFinished(RunOutcome outcome, int done, int toRun, long elapsedNanos) {
        if (!outcome.ok()) {
            failed++;
        }
        line(done, toRun, elapsedNanos, failed);
        if (done == toRun) {
            err.print("\r\033[2K");
            err.flush();
        }
    }

    private void line(int done, int toRun, long elapsedNanos, int failedSoFar) {
        double elapsed = elapsedNanos / 1e9;
        String eta = done == 0 ? "--:--" : clock(elapsed / done * (toRun - done));
        err.print("\r\033[2Ksweep: " + done + "/" + toRun + " runs" + (resumed > 0 ? " (+" + resumed + " resumed)" : "")
                + (failedSoFar > 0 ? ", " + failedSoFar + " failed" : "") + ", " + clock(elapsed) + " elapsed, ETA "
                + eta);
        err.flush();
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }
}
