package dev.softmaxlab.experiments.probe;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.tensor.RowReader;
import dev.softmaxlab.experiments.tensor.TensorEntry;
import dev.softmaxlab.experiments.tensor.TensorFile;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Probe cases from a tensor file (.npy, .npz, .safetensors): one case per row of the {@code logits} entry (or the only
 * entry), with the label from the file's {@code labels} entry. Rows are read one at a time.
 */
public final class TensorCaseSource implements OrderedPipeline.Source<ProbeCase>, Closeable {

    private final TensorFile file;
    private final RowReader reader;
    private final long[] labels;
    private final String source;
    private final double[] row;
    private int index;

    private TensorCaseSource(TensorFile file, RowReader reader, long[] labels, String source) {
        this.file = file;
        this.reader = reader;
        this.labels = labels;
        this.source = source;
        this.row = new double[reader.columns()];
    }

    /** Opens the file; its labels are read and checked against the rows up front. */
    public static TensorCaseSource open(Path path, String source) throws IOException {
        TensorFile f = TensorFile.open(path, null);
        try {
            TensorEntry logits = f.select(null, "logits", "an entry named 'logits'");
            TensorEntry labelEntry = f.find("labels").orElseThrow(() -> new InvalidInputException(source
                    + ": no 'labels' entry: probe reads labels from the same file; save both, e.g. "
                    + "np.savez('cases.npz', logits=z, labels=y), or use softmaxlab audit --labels FILE"));
            long[] labels = RowReader.readIntegers(labelEntry, "labels");
            RowReader reader = new RowReader(logits);
            if (labels.length != reader.rows()) {
                reader.close();
                throw new InvalidInputException(source + ": " + labels.length + " labels for " + reader.rows()
                        + " rows of logits: give one label per row");
            }
            if (reader.rows() > Integer.MAX_VALUE) {
                reader.close();
                throw new InvalidInputException(source + ": " + reader.rows() + " rows are more than probe takes; "
                        + "use softmaxlab audit for large tensors");
            }
            return new TensorCaseSource(f, reader, labels, source);
        } catch (RuntimeException | IOException e) {
            f.close();
            throw e;
        }
    }

    @Override
    public ProbeCase next() throws IOException {
        if (reader.read(row, 1) == 0) {
            return null;
        }
        int i = index++;
        long y = labels[i];
        ProbeCase.Fields fields = new ProbeCase.Fields(source + " row " + i + ": ", "logits", "label", "target");
        if (y < Integer.MIN_VALUE || y > Integer.MAX_VALUE) {
            throw fields.error("label " + y + " is out of range for " + row.length + " classes");
        }
        return ProbeCase.sparse(i, row.clone(), (int) y, fields);
    }

    @Override
    public void close() throws IOException {
        reader.close();
        file.close();
    }
}
