package org.detcon.orchestration.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.detcon.core.config.ConfigFileException;
import org.detcon.core.config.ConfigOverrides;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlannerTest {

    @TempDir
    Path dir;

    SweepPlan plan(String sweep, String base, Path work, String... set) throws Exception {
        Files.writeString(dir.resolve("base.yaml"), base);
        Path f = dir.resolve("s-" + Math.abs((sweep + base).hashCode()) + ".yaml");
        Files.writeString(f, sweep);
        return Planner.plan(SweepFileReader.read(f), work, ConfigOverrides.parseAll(List.of(set)));
    }

    static List<String> hashes(SweepPlan p) {
        return p.cells().stream().map(Cell::hash).toList();
    }

    @Test
    void cellsAndHashesAreStableInsensitiveToKeyOrderAndToTheWorkingDirectory() throws Exception {
        SweepPlan a = plan(SweepFileReaderTest.SWEEP, SweepFileReaderTest.BASE, dir.resolve("w1"));
        assertEquals(6, a.cells().size());
        assertEquals("method=detcon_b optimizer.base_lr=1.0 seed=0", a.cells().get(0).label());
        assertEquals("method=byol optimizer.base_lr=1.0 seed=1", a.cells().get(5).label());
        assertEquals(6, hashes(a).stream().distinct().count());
        // the same sweep again, elsewhere, with the base's keys in another order: the same cells and steps
        String reordered = String.join("\n", SweepFileReaderTest.BASE.lines().sorted().toList()) + "\n";
        SweepPlan b = plan(SweepFileReaderTest.SWEEP, reordered, dir.resolve("elsewhere/w2"));
        assertEquals(hashes(a), hashes(b));
        assertEquals(a.data().key(), b.data().key());
        assertEquals(a.masks().key(), b.masks().key());
        assertEquals(a.pretrain().stream().map(PlannedStep::key).toList(),
                b.pretrain().stream().map(PlannedStep::key).toList());
        assertTrue(b.pretrain().get(0).spec().get("config").get("output").get("uri").asText()
                .startsWith(dir.resolve("elsewhere/w2").toString()));
        // 2 exported steps + the final backbone, one eval each
        assertEquals(6 * 3, a.evals().size());

        // changing one axis value changes only the cells it touches
        SweepPlan c = plan(SweepFileReaderTest.SWEEP.replace("[1.0, 2.0]", "[1.0, 3.0]")
                .replace("optimizer.base_lr: 2.0}", "optimizer.base_lr: 3.0}"), SweepFileReaderTest.BASE,
                dir.resolve("w1"));
        for (int i = 0; i < 6; i++) {
            boolean touched = c.cells().get(i).axes().get("optimizer.base_lr").asDouble() == 3.0;
            assertEquals(!touched, hashes(a).get(i).equals(hashes(c).get(i)), c.cells().get(i).label());
        }
        // --set changes every cell; the data and masks stay
        SweepPlan d = plan(SweepFileReaderTest.SWEEP, SweepFileReaderTest.BASE, dir.resolve("w1"), "heads.out=8");
        assertTrue(hashes(d).stream().noneMatch(hashes(a)::contains));
        assertEquals(a.masks().key(), d.masks().key());
        // the device (--device, or --set device=...) is not part of a cell's identity: the same cells and steps,
        // and each pretraining step's config carries it to the trainer
        SweepPlan g = plan(SweepFileReaderTest.SWEEP, SweepFileReaderTest.BASE, dir.resolve("w1"), "device=gpu:0");
        assertEquals(hashes(a), hashes(g));
        assertEquals(a.pretrain().stream().map(PlannedStep::key).toList(),
                g.pretrain().stream().map(PlannedStep::key).toList());
        assertEquals("gpu:0", g.pretrain().get(0).spec().get("config").get("device").asText());
        // more images: new data, new masks, new cells
        SweepPlan e = plan(SweepFileReaderTest.SWEEP.replace("images: 12", "images: 13"), SweepFileReaderTest.BASE,
                dir.resolve("w1"));
        assertNotEquals(a.data().key(), e.data().key());
        assertNotEquals(a.masks().key(), e.masks().key());
        assertTrue(hashes(e).stream().noneMatch(hashes(a)::contains));
    }

    @Test
    void cellsTheTrainerRejectsAndDuplicatesAreErrorsNamingTheCell() throws Exception {
        ConfigFileException simclr = assertThrows(ConfigFileException.class, () -> plan(SweepFileReaderTest.SWEEP
                .replace("method: [detcon_b, byol]", "method: [detcon_b, simclr]")
                .replace("{method: byol,", "{method: simclr,"), SweepFileReaderTest.BASE + "ema: {base_tau: 0.99}\n",
                dir));
        assertTrue(simclr.getMessage().contains("cell method=simclr optimizer.base_lr=1.0 seed=0: ema:"),
                simclr.getMessage());
        ConfigFileException dup = assertThrows(ConfigFileException.class, () -> plan(SweepFileReaderTest.SWEEP
                .replace("[1.0, 2.0]", "[1.0, 1]").replace("optimizer.base_lr: 2.0}", "optimizer.base_lr: 1}"),
                SweepFileReaderTest.BASE, dir));
        assertTrue(dup.getMessage().contains("resolves to the same config as cell"), dup.getMessage());
        ConfigFileException set = assertThrows(ConfigFileException.class, () -> plan(SweepFileReaderTest.SWEEP
                .replace("fh:100", "fh:500"), SweepFileReaderTest.BASE, dir));
        assertTrue(set.getMessage().contains("masks.set fh-s100 is not made by the mask step (it makes [fh-s500])"),
                set.getMessage());
        ConfigFileException all = assertThrows(ConfigFileException.class, () -> plan(SweepFileReaderTest.SWEEP
                .replace("exclude: [{method: byol, optimizer.base_lr: 2.0}]", "exclude: [{method: byol},"
                        + " {method: detcon_b}]"), SweepFileReaderTest.BASE, dir));
        assertTrue(all.getMessage().contains("no cells left"), all.getMessage());
        ConfigFileException axisSet = assertThrows(ConfigFileException.class, () -> plan(SweepFileReaderTest.SWEEP,
                SweepFileReaderTest.BASE, dir, "method=byol"));
        assertTrue(axisSet.getMessage().contains("is an axis of the sweep"), axisSet.getMessage());
        ConfigFileException late = assertThrows(ConfigFileException.class, () -> plan(SweepFileReaderTest.SWEEP
                .replace("[0, 2]", "[0, 9]"), SweepFileReaderTest.BASE, dir));
        assertTrue(late.getMessage().contains("step 9 is after the end"), late.getMessage());
    }

    @Test
    void theShippedSweepsPlan() throws Exception {
        int n = 0;
        try (Stream<Path> s = Files.list(Path.of("..", "sweeps"))) {
            for (Path f : (Iterable<Path>) s.filter(p -> p.toString().endsWith(".yaml"))::iterator) {
                SweepPlan p = Planner.plan(SweepFileReader.read(f), dir.resolve("w"), List.of());
                assertTrue(p.cells().size() >= 4, f + ": at least 2 methods x 2 seeds");
                n++;
            }
        }
        assertTrue(n >= 1);
    }
}
