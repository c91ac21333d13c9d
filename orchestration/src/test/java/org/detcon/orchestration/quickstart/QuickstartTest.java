package org.detcon.orchestration.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.detcon.core.config.ConfigOverrides;
import org.detcon.orchestration.sweep.Planner;
import org.detcon.orchestration.sweep.SweepFile;
import org.detcon.orchestration.sweep.SweepFileReader;
import org.detcon.orchestration.sweep.SweepPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quickstart is the sweep sweeps/quickstart.yaml (run end to end by SweepEngineTest's machinery); its options
 * resize it. The copy built into the CLI is the repository's file.
 */
class QuickstartTest {

    @TempDir
    Path work;

    @Test
    void optionsResizeTheShippedSweep() throws Exception {
        Path shipped = Path.of("..", Quickstart.SWEEP);
        System.clearProperty("detcon.home");
        Path copy = Quickstart.sweepFile(work);
        assertEquals(Files.readString(shipped), Files.readString(copy), "the CLI's copy is the repository's file");
        SweepFile f = SweepFileReader.read(copy);
        assertTrue(f.seeds().size() >= 2 && f.grid().get("method").size() == 2, "DetCon_B and BYOL, >= 2 seeds");
        SweepFile small = Quickstart.resize(f, new Quickstart.Options(8L, 4L, 40, 10, "direct"));
        assertEquals(List.of(0L, 4L), small.evalAtSteps());
        assertEquals(40, small.data().synth().images());
        assertEquals(10, small.data().synth().valImages());
        assertEquals("direct", small.masks().runner());
        SweepPlan p = Planner.plan(small, work, List.of(ConfigOverrides.parse("steps=8")));
        assertEquals(8, p.cells().get(0).train().steps());
        assertEquals(f.grid().get("method").size() * f.seeds().size(), p.cells().size());
    }
}
