package org.detcon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code detcon train}: the shapes dataset and config errors (the training loop itself: trainer's TrainingRunTest). */
class TrainCliTest {

    @TempDir
    Path dir;

    @Test
    void shapesWritesAShardDataset() {
        CliRunner r = CliRunner.run("train", "shapes", dir.resolve("s").toString(), "--count", "5", "--size", "32",
                "--per-shard", "2");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("5 samples in 3 shards"), r.out());
        assertTrue(Files.exists(dir.resolve("s").resolve("_manifest.json")));
        CliRunner again = CliRunner.run("train", "shapes", dir.resolve("s").toString());
        assertEquals(2, again.exitCode());
    }

    @Test
    void configErrorsAreUsageErrorsNamingTheField() throws IOException {
        assertEquals(2, CliRunner.run("train").exitCode());
        Path cfg = dir.resolve("c.yaml");
        Files.writeString(cfg, "method: detcon_b\nsteps: 10\nmasks: {set: fh-s1000}\ndata: {uri: /d}\n"
                + "output: {uri: /o, checkpoint_every: 0}\n");
        CliRunner r = CliRunner.run("train", "--config", cfg.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("output.checkpoint_every"), r.err());
        CliRunner missing = CliRunner.run("train", "--config", dir.resolve("nope.yaml").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("does not exist"), missing.err());
    }
}
