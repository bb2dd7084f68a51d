package dev.softmaxlab.app.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void showsProgressRateAndEtaFromTheClock() {
        long[] now = {0};
        StringWriter sw = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(sw), 2, () -> now[0]);
        bar.runStarted("fused@fp32", "fused", "fp32", 100);
        bar.runStarted("separate@fp32", "separate", "fp32", 100);
        for (int i = 1; i <= 50; i++) {
            now[0] = i * 10_000_000L; // 10 ms per step: 100 steps/s
            bar.stepFinished("fused@fp32", i);
        }
        // 50 of 200 steps in 0.5 s: 100 steps/s, 150 steps left: 2 s
        assertEquals("[#######-----------------------]  25%  50/200 steps  100 steps/s  ETA 2s",
                bar.line(50, 500_000_000L));
        assertTrue(sw.toString().startsWith("\r["), "redrawn in place");
        assertTrue(sw.toString().split("\r").length <= 7, "at most one redraw per 100 ms: " + sw);
        assertTrue(bar.line(1, 10_000_000L).endsWith("ETA ?"), "no estimate in the first half second");
    }

    @Test
    void finishClearsTheLine() {
        StringWriter sw = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(sw), 1, () -> 0L);
        bar.finish();
        assertEquals("", sw.toString(), "nothing drawn, nothing to clear");
        bar.runStarted("a", "fused", "fp32", 1);
        bar.stepFinished("a", 1);
        bar.finish();
        assertTrue(sw.toString().endsWith("\r"), sw.toString());
        int length = sw.toString().length();
        bar.finish();
        assertEquals(length, sw.toString().length(), "cleared once");
    }

    @Test
    void formatsSeconds() {
        assertEquals("0s", ProgressBar.formatSeconds(0));
        assertEquals("3s", ProgressBar.formatSeconds(2.1));
        assertEquals("1m00s", ProgressBar.formatSeconds(59.5));
        assertEquals("2m05s", ProgressBar.formatSeconds(125));
    }
}
