package org.detcon.orchestration.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.detcon.core.config.ConfigFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepFileReaderTest {

    @TempDir
    Path dir;

    static final String BASE = """
            method: detcon_b
            backbone: {depth: 18}
            image_size: 64
            batch_size: 4
            steps: 4
            heads: {hidden: 32, out: 16}
            masks: {set: fh-s100, per_view: 4}
            output: {uri: ignored}
            """;

    static final String SWEEP = """
            name: small
            base: base.yaml
            seeds: [0, 1]
            grid:
              method: [detcon_b, byol]
              optimizer.base_lr: [1.0, 2.0]
            exclude: [{method: byol, optimizer.base_lr: 2.0}]
            data: {synth: {images: 12, val_images: 4, size: 64}}
            masks: {sets: ["fh:100"], runner: direct}
            evals: [{probe: {input: 64, train: 8, val: 4}}]
            eval_at_steps: [0, 2]
            report: {rows: [method, optimizer.base_lr], columns: [probe.miou, probe.delta1]}
            """;

    SweepFile read(String yaml) throws Exception {
        Files.writeString(dir.resolve("base.yaml"), BASE);
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, yaml);
        return SweepFileReader.read(f);
    }

    ConfigFileException error(String yaml) {
        return assertThrows(ConfigFileException.class, () -> read(yaml));
    }

    @Test
    void readsEveryPart() throws Exception {
        SweepFile f = read(SWEEP);
        assertEquals("small", f.name());
        assertEquals(List.of(0L, 1L), f.seeds());
        assertEquals(List.of("method", "optimizer.base_lr"), List.copyOf(f.grid().keySet()));
        assertEquals(1, f.exclude().size());
        assertEquals(12, f.data().synth().images());
        assertEquals(List.of("fh:100"), f.masks().sets());
        assertEquals("probe", f.evals().get(0).name());
        assertEquals(List.of(0L, 2L), f.evalAtSteps());
        assertEquals(List.of("probe.miou", "probe.delta1"), f.report().columns());
        assertEquals("detcon_b", f.base().get("method").asText());
        assertEquals(1, f.retries());
        assertEquals(3 * 2, Planner.combinations(f).size() * f.seeds().size(), "2x2 minus one exclusion, 2 seeds");
    }

    @Test
    void badFilesAreRejectedWithFileLineAndKey() {
        ConfigFileException unknown = error(SWEEP + "colour: red\n");
        assertTrue(unknown.getMessage().matches(".*s\\.yaml:13: colour: unknown key.*"), unknown.getMessage());

        ConfigFileException axis = error(SWEEP.replace("optimizer.base_lr: [1.0, 2.0]", "optimizer.base_rate: [1.0]")
                .replace("exclude: [{method: byol, optimizer.base_lr: 2.0}]\n", "")
                .replace(", optimizer.base_lr]", "]"));
        assertTrue(axis.getMessage().contains("s.yaml:6: grid.optimizer.base_rate: not a field of a train config"),
                axis.getMessage());

        ConfigFileException empty = error(SWEEP.replace("method: [detcon_b, byol]", "method: []"));
        assertTrue(empty.getMessage().contains("s.yaml:5: grid.method: an axis needs at least one value"),
                empty.getMessage());

        ConfigFileException missingBase = error(SWEEP.replace("base: base.yaml", "base: nope.yaml"));
        assertTrue(missingBase.getMessage().contains("s.yaml:2: base: file nope.yaml does not exist"),
                missingBase.getMessage());
        ConfigFileException noBase = error(SWEEP.replace("base: base.yaml\n", ""));
        assertTrue(noBase.getMessage().contains("base: is required"), noBase.getMessage());

        ConfigFileException excl = error(SWEEP.replace("optimizer.base_lr: 2.0}", "optimizer.base_lr: 3.0}"));
        assertTrue(excl.getMessage().contains("s.yaml:7: exclude[0].optimizer.base_lr: 3.0 is not one of"),
                excl.getMessage());

        ConfigFileException eval = error(SWEEP.replace("{probe: {input: 64", "{prob: {input: 64"));
        assertTrue(eval.getMessage().contains("evals[0]: unknown eval 'prob' (known: probe"), eval.getMessage());
        ConfigFileException setting = error(SWEEP.replace("input: 64", "inputs: 64"));
        assertTrue(setting.getMessage().contains("probe.inputs: unknown setting"), setting.getMessage());

        ConfigFileException column = error(SWEEP.replace("probe.delta1]", "probe.delta2]"));
        assertTrue(column.getMessage().contains("report.columns[1]: probe.delta2"), column.getMessage());
        ConfigFileException rows = error(SWEEP.replace("rows: [method, optimizer.base_lr]", "rows: [method]"));
        assertTrue(rows.getMessage().contains("axis optimizer.base_lr has several values but is not a row"),
                rows.getMessage());

        assertTrue(error(SWEEP.replace("seeds: [0, 1]", "seeds: [0, 0]")).getMessage().contains("twice"));
        assertTrue(error(SWEEP.replace("method: [detcon_b, byol]", "seed: [1, 2]")).getMessage()
                .contains("seeds are their own key"));
        assertTrue(error(SWEEP.replace("data: {synth: {images: 12, val_images: 4, size: 64}}\n", ""))
                .getMessage().contains("masks: a mask step needs images"));
        assertTrue(error("name: x\nname: y\n").getMessage().contains("s.yaml:2"), "duplicate keys");
        assertTrue(error("name: bad name\nbase: base.yaml\n").getMessage().contains("name: use letters"));
    }
}
