package dev.softmaxlab.experiments.audit;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.tensor.RawLayout;
import dev.softmaxlab.experiments.tensor.RowReader;
import dev.softmaxlab.experiments.tensor.TensorEntry;
import dev.softmaxlab.experiments.tensor.TensorFile;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The opened and checked input of an audit: the logits entry ([N, C] or [..., C], leading dimensions flattened) and
 * either sparse labels (read whole and range-checked up front: N integers) or dense targets ([N, C], streamed beside
 * the logits). Every mismatch is found here, before any output.
 *
 * <p>{@code --labels} and {@code --targets} take {@code NAME} (an entry of the logits file) or {@code FILE[:NAME]}.
 * Without either, the logits file's entry named {@code labels} is used.
 */
public final class AuditInput implements Closeable {

    private final TensorFile logitsFile;
    private final TensorEntry logits;
    private final long rows;
    private final int classes;
    private final long[] labels;
    private final TensorFile targetsFile;
    private final TensorEntry targets;
    private final String labelsWhere;

    private AuditInput(TensorFile logitsFile, TensorEntry logits, long[] labels, String labelsWhere,
                       TensorFile targetsFile, TensorEntry targets) {
        this.logitsFile = logitsFile;
        this.logits = logits;
        long[] rc = RowReader.shapeOf(logits);
        this.rows = rc[0];
        this.classes = (int) rc[1];
        this.labels = labels;
        this.labelsWhere = labelsWhere;
        this.targetsFile = targetsFile;
        this.targets = targets;
    }

    /**
     * Opens the logits and their labels or targets.
     *
     * @param raw         the layout of a raw logits file, or null
     * @param logitsName  {@code --logits NAME}, or null
     * @param labelsArg   {@code --labels NAME | FILE[:NAME]}, or null
     * @param targetsArg  {@code --targets FILE[:NAME]}, or null
     * @param ignoreIndex the label value of padding rows
     */
    public static AuditInput open(Path logitsPath, RawLayout raw, String logitsName, String labelsArg,
                                  String targetsArg, long ignoreIndex) throws IOException {
        if (labelsArg != null && targetsArg != null) {
            throw new InvalidInputException("--labels and --targets were both given: give sparse labels or dense "
                    + "targets, not both");
        }
        TensorFile file = TensorFile.open(logitsPath, raw);
        TensorFile other = null;
        try {
            TensorEntry logits = file.select(logitsName, "logits", "--logits");
            if (logits.dtype().isInteger()) {
                throw new InvalidInputException(logits.where() + " is " + logits.dtype().id() + ": logits must be "
                        + "float64, float32, float16 or bfloat16; choose the logits entry with --logits NAME");
            }
            long[] rc = RowReader.shapeOf(logits);
            if (targetsArg != null) {
                Ref ref = Ref.parse(targetsArg);
                other = ref.file != null ? TensorFile.open(Path.of(ref.file), null) : null;
                TensorFile tf = other != null ? other : file;
                TensorEntry t = tf.select(ref.name, "targets", "--targets");
                long[] trc = RowReader.shapeOf(t);
                if (trc[0] != rc[0] || trc[1] != rc[1] || t.dtype().isInteger()) {
                    throw new InvalidInputException(t.where() + " (--targets) is " + t.dtype().id() + " "
                            + t.shapeText() + " but the logits are " + rc[0] + " rows of " + rc[1] + " classes: dense "
                            + "targets are float [N, C] like the logits");
                }
                return new AuditInput(file, logits, null, null, other, t);
            }
            TensorEntry labelEntry;
            if (labelsArg == null) {
                labelEntry = file.find("labels").orElseThrow(() -> new InvalidInputException(file.file()
                        + " has no entry 'labels': give --labels NAME or --labels FILE[:NAME] (or --targets for "
                        + "dense targets)"));
            } else {
                Ref ref = Ref.parse(labelsArg);
                other = ref.file != null ? TensorFile.open(Path.of(ref.file), null) : null;
                labelEntry = (other != null ? other : file).select(ref.name, "labels", "--labels");
            }
            long[] labels = RowReader.readIntegers(labelEntry, "--labels");
            if (labels.length != rc[0]) {
                throw new InvalidInputException(labelEntry.where() + " holds " + labels.length + " labels "
                        + labelEntry.shapeText() + " but " + logits.where() + " " + logits.shapeText() + " has "
                        + rc[0] + " rows: give one label per row (the same leading shape as the logits)");
            }
            for (int i = 0; i < labels.length; i++) {
                long y = labels[i];
                if ((y < 0 || y >= rc[1]) && y != ignoreIndex) {
                    throw new InvalidInputException("label " + y + " in row " + i + " of " + labelEntry.where()
                            + " is out of range: give class indices in [0, " + rc[1] + ") for " + rc[1]
                            + " classes, or " + ignoreIndex + " (--ignore-index) for padding rows");
                }
            }
            if (other != null) {
                other.close();
            }
            return new AuditInput(file, logits, labels, labelEntry.where(), null, null);
        } catch (RuntimeException | IOException e) {
            file.close();
            if (other != null) {
                other.close();
            }
            throw e;
        }
    }

    /** {@code NAME} or {@code FILE[:NAME]}: a file when the whole value, or the part before the last ':', exists. */
    private record Ref(String file, String name) {
        static Ref parse(String value) {
            if (Files.isRegularFile(Path.of(value))) {
                return new Ref(value, null);
            }
            int colon = value.lastIndexOf(':');
            if (colon > 0 && Files.isRegularFile(Path.of(value.substring(0, colon)))) {
                return new Ref(value.substring(0, colon), value.substring(colon + 1));
            }
            String lower = value.toLowerCase(Locale.ROOT);
            if (value.contains("/") || lower.contains(".npy") || lower.contains(".npz") || lower.contains(".safetensors")) {
                throw new InvalidInputException(value + ": no such file: check the path (FILE or FILE:NAME)");
            }
            return new Ref(null, value);
        }
    }

    public TensorFile logitsFile() {
        return logitsFile;
    }

    public TensorEntry logits() {
        return logits;
    }

    /** N: rows after flattening the leading dimensions. */
    public long rows() {
        return rows;
    }

    /** C. */
    public int classes() {
        return classes;
    }

    /** The sparse labels [N], or null when the targets are dense. */
    public long[] labels() {
        return labels;
    }

    /** Where the labels came from, e.g. {@code x.npz entry 'labels'}; null for dense targets. */
    public String labelsWhere() {
        return labelsWhere;
    }

    /** The dense targets [N, C], or null. */
    public TensorEntry targets() {
        return targets;
    }

    @Override
    public void close() throws IOException {
        logitsFile.close();
        if (targetsFile != null) {
            targetsFile.close();
        }
    }
}
