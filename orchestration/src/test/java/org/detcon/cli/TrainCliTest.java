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
    void trainsWithOverridesAndRecordsTheRunInTheWorkdir() throws IOException {
        Path cfg = CliRunner.tinyTrainConfig(dir, "out", "byol", 8, "");
        Path work = dir.resolve("work");
        CliRunner r = CliRunner.run("train", "--config", cfg.toString(), "--set", "steps=2", "--set",
                "output.checkpoint_every=50", "--workdir", work.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("trained steps 0..2"), r.out());
        assertTrue(Files.isDirectory(dir.resolve("out/backbone")));
        CliRunner runs = CliRunner.run("runs", "list", "--workdir", work.toString());
        assertEquals(0, runs.exitCode(), runs.err());
        assertTrue(runs.out().contains("train") && runs.out().contains("DONE") && runs.out().contains("1/0/0/0"),
                runs.out());
        CliRunner show = CliRunner.run("runs", "show", "1", "--workdir", work.toString());
        assertTrue(show.out().contains("out/backbone") && show.out().contains("last_loss"), show.out());
    }

    /**
     * {@code --device} reaches the config (a GPU asked for on this CPU host fails with the line saying what to
     * install), a bad value is a usage error, and {@code detcon doctor} reports this host's libtorch.
     */
    @Test
    void deviceOptionReachesTheConfigAndDoctorChecksTheHost() throws IOException {
        Path cfg = CliRunner.tinyTrainConfig(dir, "d", "simclr", 4, "device: cpu\n");
        CliRunner gpu = CliRunner.run("train", "--config", cfg.toString(), "--device", "gpu:0");
        assertEquals(2, gpu.exitCode(), gpu.err());
        assertTrue(gpu.err().contains("device: gpu:0: the loaded libtorch 2.7.1 is a CPU build"), gpu.err());
        assertTrue(gpu.err().contains("PYTORCH_FLAVOR=cu128"), gpu.err());
        assertEquals(1, gpu.err().strip().lines().count(), gpu.err());
        CliRunner bad = CliRunner.run("train", "--config", cfg.toString(), "--device", "tpu");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("--device: 'tpu' is not a device; use auto, cpu, gpu"), bad.err());
        CliRunner doctor = CliRunner.run("doctor");
        assertEquals(0, doctor.exitCode(), doctor.err());
        assertTrue(doctor.out().startsWith("libtorch: 2.7.1 (CPU build) from the bundled pytorch-native-cpu jar"),
                doctor.out());
        assertTrue(doctor.out().contains("device: cpu (auto: libtorch 2.7.1 is a CPU build)"), doctor.out());
        CliRunner doctorGpu = CliRunner.run("doctor", "--device", "gpu");
        assertEquals(1, doctorGpu.exitCode());
        assertTrue(doctorGpu.err().startsWith("detcon: device gpu: the loaded libtorch 2.7.1 is a CPU build"),
                doctorGpu.err());
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
        assertTrue(r.err().contains("c.yaml:5: output.checkpoint_every"), "the file's line: " + r.err());
        CliRunner fixed = CliRunner.run("train", "--config", cfg.toString(), "--set", "output.checkpoint_every=5",
                "--set", "steps=-1");
        assertEquals(2, fixed.exitCode());
        assertTrue(fixed.err().contains("steps"), "the override applied, the next error shows: " + fixed.err());
        CliRunner badSet = CliRunner.run("train", "--config", cfg.toString(), "--set", "steps");
        assertEquals(2, badSet.exitCode());
        assertTrue(badSet.err().contains("expected key.path=value"), badSet.err());
        CliRunner missing = CliRunner.run("train", "--config", dir.resolve("nope.yaml").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("does not exist"), missing.err());
    }
}
