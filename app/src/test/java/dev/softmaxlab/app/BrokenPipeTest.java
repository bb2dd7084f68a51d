package dev.softmaxlab.app;

import dev.softmaxlab.app.cli.ExitCodes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.softmaxlab.app.output.ByteSinkPrintWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class BrokenPipeTest {

    /** A stdout whose reader went away after a few bytes, as with {@code softmaxlab probe ... | head -c 10}. */
    private static final class ClosedPipe extends OutputStream {
        private int written;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            written += len;
            if (written > 10) {
                throw new IOException("Broken pipe");
            }
        }
    }

    @Test
    void aReaderThatStopsReadingIsNotAnError() {
        StringWriter err = new StringWriter();
        int code = App.commandLine(new ByteSinkPrintWriter(new ClosedPipe()), new PrintWriter(err, true))
                .execute("probe", "--logits", "1000,0,-1000", "--label", "2", "--format", "jsonl");
        assertEquals(ExitCodes.OK, code);
        assertEquals("", err.toString());
    }
}
