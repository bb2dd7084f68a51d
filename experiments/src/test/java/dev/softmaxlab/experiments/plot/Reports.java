package dev.softmaxlab.experiments.plot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softmaxlab.experiments.config.TrainConfig;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.report.Provenance;
import dev.softmaxlab.experiments.report.ToolInfo;
import dev.softmaxlab.experiments.report.TrainingReport;
import dev.softmaxlab.experiments.train.TrainListener;
import dev.softmaxlab.experiments.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Documents for the plot tests: a real train report, and a small hand-written one whose every value is known. */
final class Reports {

    /** Small and fast, with a path that goes non-finite, so the charts' NaN handling is exercised. */
    static final String SMALL = "{\"dataset\":\"blobs\",\"samples\":200,\"logitScale\":60,\"steps\":40,"
            + "\"logEvery\":3,\"evalEvery\":10,\"precision\":[\"fp32\",\"fp16\"]}";

    private Reports() {
    }

    /** A real report of {@link #SMALL}, with a fixed provenance so the file is the same each time. */
    static JsonNode real() throws IOException {
        TrainConfig c = TrainConfig.resolve(Json.mapper().readTree(SMALL));
        var runs = Trainer.standard().runs(c, TrainListener.NONE);
        Provenance p = new Provenance("test", List.of("train"), "vendor", "17", "Linux", "6", "amd64",
                Instant.EPOCH.toString());
        return Json.mapper().valueToTree(new TrainingReport(TrainingReport.SCHEMA, ToolInfo.current(), p, c,
                new dev.softmaxlab.experiments.report.DataSummary(600, 450, 150, 2, List.of("0", "1", "2")), runs,
                Map.of()));
    }

    /**
     * Two runs of three logged steps. separate@fp16 goes non-finite at step 2 (loss +∞, then NaN); fused@fp16 stays
     * finite. Event counts are chosen so the cumulative totals are easy to add by hand.
     */
    static ObjectNode handWritten() throws IOException {
        String events = "{\"expOverflow\":%d,\"expUnderflow\":0,\"subnormal\":0,\"logOfZero\":%d,\"divByZero\":0,"
                + "\"infOverInf\":0,\"zeroTimesInf\":0,\"infMinusInf\":0,\"clipped\":0,\"saturated\":0,"
                + "\"loss\":{\"nan\":%d,\"posInf\":0,\"negInf\":0},\"gradient\":{\"nan\":0,\"posInf\":0,\"negInf\":0}}";
        String error = "{\"lossAbs\":0,\"lossRel\":%s,\"lossUlps\":0,\"gradientMaxAbs\":0,\"gradientRel\":0,"
                + "\"gradientCosine\":1}";
        String step = "{\"step\":%d,\"loss\":%s,\"accuracy\":0.5,\"logitGradientNorm\":%s,\"paramGradientNorm\":1,"
                + "\"maxAbsLogit\":3,\"meanLse\":2,\"skipped\":false,\"events\":%s,\"firstNonFinite\":%s,\"error\":%s}";
        String fusedSteps = String.join(",",
                String.format(step, 1, "2.0", "0.5", String.format(events, 1, 0, 0), "null", String.format(error, "0.001")),
                String.format(step, 2, "1.0", "0.25", String.format(events, 2, 0, 0), "null", String.format(error, "0")),
                String.format(step, 3, "0.5", "0.125", String.format(events, 0, 0, 0), "null",
                        String.format(error, "0.0001")));
        String sepSteps = String.join(",",
                String.format(step, 1, "2.5", "0.5", String.format(events, 0, 0, 0), "null", String.format(error, "0.01")),
                String.format(step, 2, "\"Infinity\"", "\"NaN\"", String.format(events, 0, 1, 0),
                        "{\"op\":\"log\",\"row\":0,\"classIndex\":1}", String.format(error, "\"NaN\"")),
                String.format(step, 3, "\"NaN\"", "\"NaN\"", String.format(events, 0, 0, 4), "null",
                        String.format(error, "\"NaN\"")));
        String summary = "{\"status\":\"completed\",\"stepsRun\":3,\"finalTrainLoss\":%s,\"finalTrainAccuracy\":0.5,"
                + "\"finalTestLoss\":%s,\"finalTestAccuracy\":%s,\"firstNonFiniteStep\":%s,\"skippedSteps\":0,"
                + "\"totalNonFinite\":%d,\"finalMeanLse\":2,\"maxMeanLse\":2,\"maxAbsLogitMax\":3,\"events\":" + String.format(events, 0, 0, 0) + "}";
        String run = "{\"id\":\"%s@fp16\",\"path\":\"%s\",\"precision\":\"fp16\",\"accumulate\":\"fp32\",\"steps\":[%s],"
                + "\"evals\":[{\"step\":3,\"testLoss\":%s,\"testAccuracy\":%s}],\"summary\":%s}";
        String runs = String.format(run, "fused", "fused", fusedSteps, "0.5", "0.75",
                String.format(summary, "0.5", "0.5", "0.75", "null", 0))
                + "," + String.format(run, "separate", "separate", sepSteps, "\"NaN\"", "0",
                String.format(summary, "\"NaN\"", "\"NaN\"", "0", "2", 5));
        ObjectNode real = (ObjectNode) real();
        ObjectNode doc = (ObjectNode) Json.mapper().readTree("{\"runs\":[" + runs + "]}");
        real.set("runs", doc.get("runs"));
        return real;
    }

    static Path write(Path dir, String name, JsonNode doc) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, Json.mapper().writeValueAsBytes(doc));
        return f;
    }
}
