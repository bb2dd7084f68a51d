package dev.softmaxlab.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A mistyped flag or command gets one line with a suggestion; --help states each command's own defaults. */
class HelpAndTyposTest {

    @Test
    void aMistypedFlagIsOneLineThatSuggestsTheNearestFlag() {
        CliRun run = CliRun.of("train", "--logit-scal", "5");
        assertEquals(ExitCodes.BAD_INPUT, run.code());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains("did you mean --logit-scale"), run.err());
    }

    @Test
    void aMistypedCommandSuggestsTheCommand() {
        CliRun run = CliRun.of("prob");
        assertEquals(ExitCodes.BAD_INPUT, run.code());
        assertTrue(run.err().contains("did you mean probe"), run.err());
    }

    @Test
    void trainHelpShowsTrainsDefaultPrecisionAndProbeHelpShowsAllFour() {
        // train's default loss precision is fp32 only (TrainConfig.DEFAULTS); probe evaluates all four formats
        String train = CliRun.of("train", "--help").out().replaceAll("\\s+", " ");
        String probe = CliRun.of("probe", "--help").out().replaceAll("\\s+", " ");
        assertTrue(train.contains("bf16, fp16 (default: fp32)"), train);
        assertTrue(probe.contains("(default: fp64,fp32,bf16,fp16)"), probe);
    }

    @Test
    void probeRefusesAHalfFormatAccumulatingInTheOtherHalfFormat() {
        CliRun run = CliRun.of("probe", "--logits", "40,0,0", "--label", "0", "--precision", "bf16,fp16",
                "--accumulate", "fp16");
        assertEquals(ExitCodes.BAD_INPUT, run.code());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains("accumulate = fp16 cannot apply to bf16"), run.err());
    }

    @Test
    void zeroThreadsIsBadInputOnEveryCommandThatTakesThreads() {
        for (String[] args : new String[][] {
            {"probe", "--logits", "1,2", "--label", "0", "--threads", "0"},
            {"train", "--steps", "1", "--threads", "0"},
            {"demo", "--threads", "0"}}) {
            CliRun run = CliRun.of(args);
            assertEquals(ExitCodes.BAD_INPUT, run.code(), args[0]);
            assertTrue(run.err().contains("--threads 0: must be at least 1"), run.err());
        }
    }
}
