package dev.softmaxlab.experiments.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.softmaxlab.experiments.report.Json;

import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code --rows FILE.jsonl}: one JSON object per row, in row order, for plots and pandas:
 * {@code {"row":0,"label":3,"skipped":false,"maxLogit":..,"spread":..,"pLabel":..,"entropy":..,"exactLoss":..,
 * "paths":[{"path":"fused","precision":"fp32","loss":..,"errorUlps":..,"errorRelative":..,"gradientMaxAbsError":..,
 * "gradientCosine":..,"broken":false,"headroomScale":..},...]}}. Non-finite numbers are strings, as everywhere.
 */
public final class AuditRows implements Auditor.RowSink {

    private final JsonGenerator g;
    private final OutputStream out;
    private final AuditConfig config;

    public AuditRows(OutputStream out, AuditConfig config) throws IOException {
        this.out = out;
        this.g = Json.mapper().getFactory().createGenerator(out);
        this.g.setRootValueSeparator(null); // lines are separated by the newline we write
        this.config = config;
    }

    @Override
    public void accept(RowRecord r) throws IOException {
        g.writeStartObject();
        g.writeNumberField("row", r.index);
        g.writeNumberField("label", r.label);
        g.writeBooleanField("skipped", r.skipped);
        if (!r.skipped) {
            g.writeNumberField("maxLogit", r.maxLogit);
            g.writeNumberField("spread", r.spread());
            g.writeNumberField("nonFiniteLogits", r.nonFiniteLogits);
            g.writeNumberField("pLabel", r.pLabel);
            g.writeNumberField("entropy", r.entropy);
            g.writeNumberField("exactLoss", r.exactLoss);
            g.writeArrayFieldStart("paths");
            for (int k = 0; k < config.combos(); k++) {
                g.writeStartObject();
                g.writeStringField("path", config.path(k).id());
                g.writeStringField("precision", config.precision(k).compute().id());
                g.writeNumberField("loss", r.loss[k]);
                g.writeNumberField("errorUlps", r.lossUlps[k]);
                g.writeNumberField("errorRelative", r.lossRelative[k]);
                g.writeNumberField("gradientMaxAbsError", r.gradientMaxAbs[k]);
                g.writeNumberField("gradientCosine", r.gradientCosine[k]);
                g.writeNumberField("labelGradientRelativeError", r.labelRelative[k]);
                g.writeBooleanField("broken", r.broken[k]);
                if (r.sampled) {
                    g.writeNumberField("headroomScale", r.headroomScale[k]);
                    g.writeNumberField("headroomOffsetUp", r.headroomOffsetUp[k]);
                    g.writeNumberField("headroomOffsetDown", r.headroomOffsetDown[k]);
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
        g.flush();
        out.write('\n');
    }

    public void finish() throws IOException {
        g.flush();
    }
}
