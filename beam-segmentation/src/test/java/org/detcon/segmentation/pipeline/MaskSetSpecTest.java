package org.detcon.segmentation.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MaskSetSpecTest {

    @Test
    void fhDefaultsFollowTheDetconRecipe() {
        MaskSetSpec s = MaskSetSpec.parse("fh:1000");
        assertEquals(MaskSetSpec.Kind.FH, s.kind());
        assertEquals(1000.0, s.scale());
        assertEquals(1000, s.minSize());
        assertEquals(0.8, s.sigma());
        assertEquals("fh-s1000", s.name());
        assertEquals("fh:1000", s.spec());
        assertEquals("{\"scale\":1000.0,\"min_size\":1000,\"sigma\":0.8}", s.params().toString());
    }

    @Test
    void fhOptions() {
        MaskSetSpec s = MaskSetSpec.parse("fh:500:min=200:sigma=1.5");
        assertEquals(200, s.minSize());
        assertEquals(1.5, s.sigma());
        assertEquals("fh-s500-m200-g1p5", s.name());
        assertEquals("fh:500:min=200:sigma=1.5", s.spec());
        assertEquals(s, MaskSetSpec.parse(s.spec()));
        assertEquals("fh-s500", MaskSetSpec.parse("FH:500:sigma=0.8:min=500").name());
        assertEquals("fh-s0p5", MaskSetSpec.parse("fh:0.5").name());
    }

    @Test
    void gridAndGt() {
        assertEquals("grid-5", MaskSetSpec.parse("grid:5").name());
        assertEquals("gt", MaskSetSpec.parse("gt").name());
        assertEquals(List.of("fh-s1000", "grid-5", "gt"),
                MaskSetSpec.parseList(" fh:1000 , grid:5,gt").stream().map(MaskSetSpec::name).toList());
    }

    @Test
    void clearErrors() {
        assertMessage("fh", "fh needs a scale");
        assertMessage("fh:abc", "scale must be a number");
        assertMessage("fh:-3", "must be a number > 0");
        assertMessage("fh:100:min=x", "min must be a whole number");
        assertMessage("fh:100:foo=1", "unknown FH option 'foo'");
        assertMessage("fh:100:min=1:min=2", "given twice");
        assertMessage("fh:100:sigma", "must be name=value");
        assertMessage("grid", "grid takes exactly one number");
        assertMessage("grid:0", "grid size must be in 1..256");
        assertMessage("grid:x", "whole number");
        assertMessage("gt:1", "gt takes no parameters");
        assertMessage("mcg:3", "unknown mask set kind 'mcg'");
        assertMessage("", "empty mask set spec");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MaskSetSpec.parseList("fh:1000,grid:5,fh:1000:min=1000"));
        assertTrue(e.getMessage().contains("'fh-s1000' is listed twice"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MaskSetSpec.parseList(" "));
    }

    private static void assertMessage(String spec, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MaskSetSpec.parse(spec));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        if (!spec.isEmpty()) {
            assertTrue(e.getMessage().startsWith("mask set spec '"), e.getMessage());
        }
    }
}
