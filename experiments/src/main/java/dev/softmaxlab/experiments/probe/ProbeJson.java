package dev.softmaxlab.experiments.probe;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.softmaxlab.core.loss.LossOptions;
import dev.softmaxlab.core.loss.LossPath;
import dev.softmaxlab.core.numeric.FirstNonFinite;
import dev.softmaxlab.core.numeric.NumericEvent;
import dev.softmaxlab.core.numeric.NumericEvents;
import dev.softmaxlab.core.precision.PrecisionSpec;
import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.report.Provenance;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON shape of a probe, schema {@value #SCHEMA}. A case is
 * <pre>{@code
 * {"case":0,"id":"a7","classes":3,"results":[
 *   {"path":"fused","precision":"fp64","accumulate":"fp64","loss":2000.0,"maxAbsGradient":1.0,
 *    "gradient":[...],"probabilities":[...],
 *    "events":{"expOverflow":0,...,"clipped":0,
 *              "loss":{"nan":0,"posInf":0,"negInf":0},"gradient":{"nan":0,"posInf":0,"negInf":0}},
 *    "firstNonFinite":null | {"op":"log","row":0,"classIndex":2}}, ...]}
 * }</pre>
 * {@code id} is the input line's own "id", as given, and absent when it has none. {@code events} holds every {@link NumericEvent} id with its count (zeros included, so every result has the same
 * keys), then the non-finite counts of the loss and of the gradient. {@code gradient} and {@code probabilities} are
 * left out when {@link Vectors} says so. A JSON Lines output is one case per line; a JSON document wraps the cases
 * with the schema, the tool, the provenance and the config. Numbers are shortest round-trip doubles (Jackson's
 * Schubfach writer; the vectors go through {@link CaseNumberText}, which formats each distinct value of a case once);
 * non-finite numbers are the strings "NaN", "Infinity", "-Infinity".
 */
public final class ProbeJson {

    /** The schema id and version of probe documents. */
    public static final String SCHEMA = "softmaxlab.probe/1";

    /** Each worker thread's number formatter (its table is reused from case to case). */
    private static final ThreadLocal<CaseNumberText> NUMBERS = ThreadLocal.withInitial(CaseNumberText::new);

    private ProbeJson() {
    }

    /** A generator over {@code out} in the tool's JSON dialect, with the fast round-trip double writer. */
    public static JsonGenerator generator(OutputStream out) throws IOException {
        JsonGenerator g = Json.mapper().getFactory().createGenerator(out, JsonEncoding.UTF8);
        g.enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER.mappedFeature());
        return g;
    }

    /** One case as compact UTF-8 JSON, without a line break. Runs on worker threads. */
    public static byte[] caseBytes(ProbeCaseResult r) {
        try (ByteArrayBuilder buf = new ByteArrayBuilder(initialSize(r))) {
            try (JsonGenerator g = generator(buf)) {
                writeCase(g, buf, r);
            }
            return buf.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
    }

    private static int initialSize(ProbeCaseResult r) {
        int vectors = 0;
        for (ProbeResult x : r.results()) {
            vectors += (x.gradient() != null ? x.gradient().length : 0)
                    + (x.probabilities() != null ? x.probabilities().length : 0);
        }
        return 512 + r.results().size() * 400 + vectors * 22;
    }

    /**
     * Writes one case to g.
     *
     * @param out g's output: the vectors are written straight to it, after flushing g
     */
    static void writeCase(JsonGenerator g, OutputStream out, ProbeCaseResult r) throws IOException {
        CaseNumberText numbers = NUMBERS.get();
        numbers.startCase();
        g.writeStartObject();
        g.writeNumberField("case", r.input().index());
        if (r.input().id() != null) {
            g.writeFieldName("id");
            g.writeTree(r.input().id());
        }
        g.writeNumberField("classes", r.input().classes());
        if (!Double.isNaN(r.scale())) {
            g.writeNumberField("scale", r.scale());
        }
        g.writeArrayFieldStart("results");
        for (ProbeResult x : r.results()) {
            writeResult(g, out, x, numbers);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    static void writeResult(JsonGenerator g, OutputStream out, ProbeResult x, CaseNumberText numbers)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("path", x.path());
        g.writeStringField("precision", x.precision().compute().id());
        g.writeStringField("accumulate", x.precision().accumulate().id());
        g.writeNumberField("loss", x.loss());
        g.writeNumberField("maxAbsGradient", x.maxAbsGradient());
        if (x.gradient() != null) {
            g.writeFieldName("gradient");
            numbers.writeArray(g, out, x.gradient());
        }
        if (x.probabilities() != null) {
            g.writeFieldName("probabilities");
            numbers.writeArray(g, out, x.probabilities());
        }
        writeEvents(g, x.events());
        if (x.error() != null) {
            g.writeFieldName("error");
            Json.mapper().writeValue(g, x.error());
        }
        FirstNonFinite f = x.events().firstNonFinite();
        if (f == null) {
            g.writeNullField("firstNonFinite");
        } else {
            g.writeObjectFieldStart("firstNonFinite");
            g.writeStringField("op", f.op());
            g.writeNumberField("row", f.row());
            g.writeNumberField("classIndex", f.classIndex());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    static void writeEvents(JsonGenerator g, NumericEvents e) throws IOException {
        g.writeObjectFieldStart("events");
        for (NumericEvent ev : NumericEvent.values()) {
            g.writeNumberField(ev.id(), e.count(ev));
        }
        g.writeObjectFieldStart("loss");
        g.writeNumberField("nan", e.lossNan());
        g.writeNumberField("posInf", e.lossPosInf());
        g.writeNumberField("negInf", e.lossNegInf());
        g.writeEndObject();
        g.writeObjectFieldStart("gradient");
        g.writeNumberField("nan", e.gradientNan());
        g.writeNumberField("posInf", e.gradientPosInf());
        g.writeNumberField("negInf", e.gradientNegInf());
        g.writeEndObject();
        g.writeEndObject();
    }

    /**
     * A {@code --format json} document streamed to a byte stream: {@link #start} writes the schema, the tool, the
     * provenance, the config and {@code "cases":[}; {@link #add} appends one case's bytes (from {@link #caseBytes});
     * {@link #end} closes the document. Nothing is held in memory but the case being written.
     */
    public static final class Document {
        private final OutputStream out;
        private boolean first = true;

        private Document(OutputStream out) {
            this.out = out;
        }

        public static Document start(OutputStream out, String toolVersion, Provenance provenance, ProbeConfig config)
                throws IOException {
            return start(out, toolVersion, provenance, config, null);
        }

        /** A document of a scale sweep: its config records the sweep ({@code null} for none). */
        public static Document start(OutputStream out, String toolVersion, Provenance provenance, ProbeConfig config,
                                     ScaleSweep sweep) throws IOException {
            JsonGenerator g = generator(out);
            g.writeStartObject();
            g.writeStringField("schema", SCHEMA);
            g.writeObjectFieldStart("tool");
            g.writeStringField("name", "softmaxlab");
            g.writeStringField("version", toolVersion);
            g.writeEndObject();
            g.writeFieldName("provenance");
            Json.mapper().writeValue(g, provenance);
            writeConfig(g, config, sweep);
            g.writeFieldName("cases");
            g.writeStartArray();
            // the cases follow as raw bytes: the generator is flushed, not closed, so it writes no closing brackets
            g.flush();
            return new Document(out);
        }

        public void add(byte[] caseJson) throws IOException {
            if (!first) {
                out.write(',');
            }
            first = false;
            out.write(caseJson);
        }

        public void end() throws IOException {
            out.write("]}\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    static void writeConfig(JsonGenerator g, ProbeConfig config, ScaleSweep sweep) throws IOException {
        g.writeObjectFieldStart("config");
        g.writeArrayFieldStart("paths");
        for (LossPath p : config.paths()) {
            g.writeString(p.id());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("precisions");
        for (PrecisionSpec s : config.precisions()) {
            g.writeString(s.compute().id());
        }
        g.writeEndArray();
        g.writeStringField("accumulate", config.accumulate().id());
        g.writeNumberField("labelSmoothing", config.options().labelSmoothing());
        g.writeNumberField("eps", config.options().clipEpsilon());
        writeHeadOptions(g, config.options());
        g.writeStringField("vectors", config.vectors().id());
        if (sweep != null) {
            g.writeObjectFieldStart("scaleSweep");
            g.writeNumberField("from", sweep.from());
            g.writeNumberField("to", sweep.to());
            g.writeNumberField("count", sweep.count());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /**
     * The loss-head options beyond smoothing and ε, every one of them, so that a report can never be mistaken for a
     * run without them: ignoreIndex, classWeights (null: none), zLoss, softcap (null: none), chunkSize, chunkCarry
     * (null: the accumulation precision).
     */
    public static void writeHeadOptions(JsonGenerator g, LossOptions o) throws IOException {
        g.writeNumberField("ignoreIndex", o.ignoreIndex());
        if (o.classWeights().isUniform()) {
            g.writeNullField("classWeights");
        } else {
            g.writeArrayFieldStart("classWeights");
            for (double w : o.classWeights().toArray()) {
                g.writeNumber(w);
            }
            g.writeEndArray();
        }
        g.writeNumberField("zLoss", o.zLoss());
        if (o.softcap().isPresent()) {
            g.writeNumberField("softcap", o.softcap().getAsDouble());
        } else {
            g.writeNullField("softcap");
        }
        g.writeNumberField("chunkSize", o.chunkSize());
        if (o.chunkCarry().isPresent()) {
            g.writeStringField("chunkCarry", o.chunkCarry().get().id());
        } else {
            g.writeNullField("chunkCarry");
        }
    }
}
