package dev.softmaxlab.app.cli.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.core.loss.LossOptions;
import dev.softmaxlab.core.loss.LossPath;
import dev.softmaxlab.core.loss.LossPaths;
import dev.softmaxlab.core.loss.Reduction;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class LossHeadOptionsTest {

    @Command(name = "t")
    static final class Host {
        @Mixin
        LossHeadOptions head;
        @Mixin
        ReductionOption reduction;
    }

    private static Host parse(String... args) {
        Host h = new Host();
        new CommandLine(h).parseArgs(args);
        return h;
    }

    private static List<String> ids(List<LossPath> paths) {
        return paths.stream().map(LossPath::id).toList();
    }

    @Test
    void defaults() {
        Host h = parse();
        assertEquals(List.of("fused", "separate", "separate-naive", "separate-clipped"), ids(h.head.paths()));
        assertEquals(ids(LossPaths.defaults()), ids(h.head.paths()));
        assertEquals(List.of(Precision.FP64, Precision.FP32, Precision.BF16, Precision.FP16), h.head.precisions());
        assertEquals(Precision.FP32, h.head.accumulate());
        assertEquals(LossOptions.DEFAULTS, h.head.lossOptions());
        assertEquals(Reduction.MEAN, h.reduction.reduction());
    }

    @Test
    void halfFormatsAccumulateAsChosenOthersInThemselves() {
        Host h = parse("--precision", "bf16,fp32,fp16,fp64", "--accumulate", "fp64");
        assertEquals(List.of(new PrecisionSpec(Precision.BF16, Precision.FP64),
                new PrecisionSpec(Precision.FP32, Precision.FP32),
                new PrecisionSpec(Precision.FP16, Precision.FP64),
                new PrecisionSpec(Precision.FP64, Precision.FP64)), h.head.precisionSpecs());
        assertEquals(List.of(new PrecisionSpec(Precision.FP16, Precision.FP32)),
                parse("--precision", "fp16").head.precisionSpecs());
    }

    @Test
    void listsKeepTheGivenOrderWithoutDuplicates() {
        Host h = parse("--paths", "separate,fused,separate", "--precision", "fp16", "--precision", "fp16,fp64");
        assertEquals(List.of("separate", "fused"), ids(h.head.paths()));
        assertEquals(List.of(Precision.FP16, Precision.FP64), h.head.precisions());
    }

    @Test
    void lossOptionsFromFlags() {
        Host h = parse("--label-smoothing", "0.1", "--eps", "1e-4", "--reduction", "sum");
        assertEquals(new LossOptions(0.1, Reduction.SUM, 1e-4), h.reduction.applyTo(h.head.lossOptions()));
    }

    @Test
    void outOfRangeValuesNameTheOption() {
        // the range is LossOptions's own check (one home), named by the flag that set it
        assertEquals("--label-smoothing: label smoothing -0.1 is out of range: give a value in [0, 1), e.g. 0.1 "
                + "(0 turns smoothing off)",
                assertThrows(InvalidInputException.class,
                        () -> parse("--label-smoothing", "-0.1").head.lossOptions()).getMessage());
        assertEquals("--eps: clip epsilon 0.5 is out of range: give a value in (0, 0.5), e.g. 1e-7",
                assertThrows(InvalidInputException.class, () -> parse("--eps", "0.5").head.lossOptions())
                        .getMessage());
    }

    @Test
    void badIdsNameTheValueAndTheChoices() {
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                () -> parse("--reduction", "avg"));
        // none is not offered: training needs one loss per batch (TrainConfig refuses it with that reason)
        assertEquals("Invalid value for option '--reduction': unknown reduction 'avg': expected one of mean, sum",
                e.getMessage());
    }
}
