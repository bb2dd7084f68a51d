package dev.softmaxlab.experiments.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PaletteTest {

    private static final List<String> PATHS = List.of("fused", "separate", "separate-naive", "separate-clipped");
    private static final List<String> PRECISIONS = List.of("fp64", "fp32", "bf16", "fp16");

    @Test
    void everyPathHasItsOwnOkabeItoColour() {
        Set<String> colours = new HashSet<>();
        for (String p : PATHS) {
            colours.add(Palette.colourHex(p));
        }
        assertEquals(4, colours.size());
        // Okabe & Ito (2008): blue, vermillion, reddish purple, bluish green
        assertEquals("#0072B2", Palette.colourHex("fused"));
        assertEquals("#D55E00", Palette.colourHex("separate"));
    }

    @Test
    void everyPrecisionHasItsOwnDashAndMarker() {
        Set<String> dashes = new HashSet<>();
        Set<String> markers = new HashSet<>();
        for (String q : PRECISIONS) {
            dashes.add(java.util.Arrays.toString(Palette.dash(q)));
            markers.add(Palette.marker(q));
        }
        assertEquals(4, dashes.size());
        assertEquals(4, markers.size());
    }

    @Test
    void theRampRunsFromItsFirstAnchorToItsLast() {
        assertEquals(java.awt.Color.decode(Palette.RAMP.get(0)), Palette.ramp(0));
        assertEquals(java.awt.Color.decode(Palette.RAMP.get(4)), Palette.ramp(1));
        assertNotEquals(Palette.ramp(0.3), Palette.ramp(0.7));
    }
}
