package dev.softmaxlab.app.output;

import dev.softmaxlab.experiments.train.TrainListener;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar on stderr over all runs' steps: bar, percentage, steps done / total, steps/s and ETA,
 * redrawn in place ({@code \r}) at most every 100 ms. Thread-safe: runs training in parallel report concurrently.
 */
public final class ProgressBar implements TrainListener {

    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final LongSupplier clock;
    private final int runs;
    private final String unit;
    private volatile long totalSteps = 1;
    private final AtomicLong done = new AtomicLong();
    private final long start;
    private long lastDraw;
    private boolean drawn;

    /**
     * @param err        where to draw (stderr)
     * @param runs       how many runs there are (each announces its step count when it starts)
     * @param clock      nanoseconds, e.g. {@code System::nanoTime}
     */
    public ProgressBar(PrintWriter err, int runs, LongSupplier clock) {
        this(err, runs, clock, "steps");
    }

    /** @param unit what is counted, e.g. {@code rows} (audit); {@code steps} by default */
    public ProgressBar(PrintWriter err, int runs, LongSupplier clock, String unit) {
        this.unit = unit;
        this.err = err;
        this.runs = Math.max(1, runs);
        this.clock = clock;
        this.start = clock.getAsLong();
        this.lastDraw = start - REDRAW_NANOS;
    }

    /** Every run of one invocation takes the same number of steps. */
    @Override
    public void runStarted(String runId, String path, String precision, int steps) {
        totalSteps = Math.max(1, (long) steps * runs);
    }

    @Override
    public void stepFinished(String runId, int step) {
        long n = done.incrementAndGet();
        long now = clock.getAsLong();
        if (now - lastDraw >= REDRAW_NANOS || n == totalSteps) {
            synchronized (this) {
                if (now - lastDraw >= REDRAW_NANOS || n == totalSteps) {
                    lastDraw = now;
                    draw(Math.min(n, totalSteps), now);
                }
            }
        }
    }

    /** Sets the count directly (a command that counts rows in blocks, such as audit), redrawing as usual. */
    public void progress(long n, long total) {
        totalSteps = Math.max(1, total);
        done.set(n);
        long now = clock.getAsLong();
        synchronized (this) {
            if (now - lastDraw >= REDRAW_NANOS || n == totalSteps) {
                lastDraw = now;
                draw(Math.min(n, totalSteps), now);
            }
        }
    }

    /** Clears the bar's line, so that what follows starts on a clean line. */
    public synchronized void finish() {
        if (drawn) {
            err.print("\r" + " ".repeat(line(totalSteps, clock.getAsLong()).length()) + "\r");
            err.flush();
            drawn = false;
        }
    }

    private void draw(long n, long now) {
        err.print("\r" + line(n, now));
        err.flush();
        drawn = true;
    }

    /** e.g. {@code [###########-------------------]  37%  1110/3000 steps  812 steps/s  ETA 2s}. */
    String line(long n, long now) {
        double seconds = Math.max(1e-9, (now - start) / 1e9);
        double rate = n / seconds;
        int filled = (int) (WIDTH * n / totalSteps);
        // the first half second is mostly JIT warm-up: too early for an honest estimate
        String eta = rate > 0 && seconds >= 0.5 ? formatSeconds((totalSteps - n) / rate) : "?";
        return String.format(Locale.ROOT, "[%s%s] %3d%%  %d/%d %s  %.0f %s/s  ETA %s",
                "#".repeat(filled), "-".repeat(WIDTH - filled), 100 * n / totalSteps, n, totalSteps, unit, rate, unit,
                eta);
    }

    static String formatSeconds(double s) {
        long total = (long) Math.ceil(s);
        return total < 60 ? total + "s" : String.format(Locale.ROOT, "%dm%02ds", total / 60, total % 60);
    }
}
