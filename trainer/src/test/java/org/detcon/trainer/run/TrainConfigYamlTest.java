package org.detcon.trainer.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.detcon.trainer.engine.DeviceSpec;
import org.detcon.trainer.engine.Precision;
import org.detcon.trainer.train.Method;
import org.detcon.trainer.train.PretrainConfig;
import org.junit.jupiter.api.Test;

class TrainConfigYamlTest {

    private static final String MIN = "data: {uri: /d}\noutput: {uri: /o}\n";

    private static String error(String yaml) {
        return assertThrows(ConfigException.class, () -> TrainConfigYaml.parse(yaml, "t.yaml")).getMessage();
    }

    @Test
    void defaultsFollowThePapersRecipes() {
        TrainConfig b = TrainConfigYaml.parse("method: DetCon_B\nepochs: 1000\nmasks: {set: fh-s1000}\n" + MIN, "t");
        assertEquals(Method.DETCON_B, b.method());
        assertEquals(0.2, b.optimizer().baseLr());
        assertEquals(1.5e-6, b.optimizer().weightDecay());
        assertEquals(10.0, b.optimizer().warmupEpochs());
        assertEquals(0.996, b.ema().baseTau());
        assertEquals(4096, b.heads().hidden());
        assertEquals(16, b.masks().perView());
        assertEquals(4096, b.microBatch(), "micro_batch defaults to the whole batch");
        PretrainConfig pc = b.toPretrainConfig(312);
        assertEquals(312_000, pc.learningRate().totalSteps());
        assertEquals(3120, pc.learningRate().warmupSteps());
        assertEquals(0.2 * 4096 / 256, pc.learningRate().peak(), 1e-12);
        TrainConfig byol = TrainConfigYaml.parse("method: byol\nepochs: 300\n" + MIN, "t");
        assertEquals(0.3, byol.optimizer().baseLr());
        assertEquals(0.99, byol.ema().baseTau());
        assertNull(byol.loaderConfig().maskSet(), "BYOL reads no masks");
        TrainConfig s = TrainConfigYaml.parse("method: simclr\nepochs: 100\n" + MIN, "t");
        assertNull(s.ema());
        assertEquals(128, s.heads().out());
        assertEquals(1e-6, s.optimizer().weightDecay());
    }

    @Test
    void errorsNameTheField() {
        assertTrue(error("method: detcon_b\nsteps: 10\nmasks: {set: a}\ndata: {uri: /d}\n").startsWith("output.uri"));
        assertTrue(error("method: detcon_b\nsteps: 10\n" + MIN).startsWith("masks.set"));
        assertTrue(error("method: moco\nsteps: 10\n" + MIN).startsWith("method"));
        assertTrue(error("method: byol\nsteps: 10\noptimiser: {base_lr: 1}\n" + MIN).startsWith("optimiser: unknown"));
        assertTrue(error("method: byol\nsteps: 10\noptimizer: {base_lr: fast}\n" + MIN)
                .startsWith("optimizer.base_lr: expected a number"));
        assertTrue(error("method: byol\nsteps: 10\noptimizer: {base_lr: -1}\n" + MIN).startsWith("optimizer.base_lr"));
        assertTrue(error("method: byol\nsteps: 10\nepochs: 3\n" + MIN).startsWith("steps"));
        assertTrue(error("method: byol\n" + MIN).startsWith("steps"));
        assertTrue(error("method: byol\nsteps: 10\nimage_size: 100\n" + MIN).startsWith("image_size"));
        assertTrue(error("method: byol\nsteps: 10\nbackbone: {depth: 20}\n" + MIN).startsWith("backbone"));
        assertTrue(error("method: simclr\nsteps: 10\nema: {base_tau: 0.9}\n" + MIN).startsWith("ema"));
        assertTrue(error("method: byol\nsteps: 10\ndata: {uri: /d, threads: 0}\noutput: {uri: /o}\n")
                .startsWith("data.threads"));
        assertTrue(error("method: byol\nsteps: 10\n" + MIN + "data2: 1\n").startsWith("data2: unknown"));
        assertTrue(error(": : :\n").contains("t.yaml"));
        assertEquals("micro_batch: must divide batch_size (8) into equal micro-batches, got 3",
                error("method: byol\nsteps: 10\nbatch_size: 8\nmicro_batch: 3\n" + MIN));
        assertTrue(error("method: byol\nsteps: 10\nbatch_size: 8\nmicro_batch: 0\n" + MIN).startsWith("micro_batch"));
        TrainConfig c = TrainConfigYaml.parse("method: byol\nsteps: 10\nbatch_size: 8\n" + MIN, "t");
        ai.djl.Device cpu = ai.djl.Device.cpu();
        assertEquals(4, c.batchSplit(java.util.List.of(cpu, cpu)).microBatch(), "default: each device's share");
        assertTrue(c.batchSplit(java.util.List.of(cpu)).isWhole());
        TrainConfig m4 = TrainConfigYaml.parse("method: byol\nsteps: 10\nbatch_size: 12\nmicro_batch: 4\n" + MIN, "t");
        assertTrue(assertThrows(ConfigException.class, () -> m4.batchSplit(java.util.List.of(cpu, cpu))) // 6 a device
                .getMessage().startsWith("micro_batch: "));
        assertTrue(assertThrows(ConfigException.class, () -> c.batchSplit(java.util.List.of(cpu, cpu, cpu)))
                .getMessage().startsWith("batch_size: "));
    }

    @Test
    void hashCoversResultsNotSpeedKnobs() {
        String base = "method: byol\nsteps: 10\ndata: {uri: /d, threads: 2}\noutput: {uri: /o}\n";
        TrainConfig a = TrainConfigYaml.parse(base, "t");
        TrainConfig threads = TrainConfigYaml.parse(base.replace("threads: 2", "threads: 7"), "t");
        TrainConfig seed = TrainConfigYaml.parse(base + "seed: 3\n", "t");
        TrainConfig moved = TrainConfigYaml.parse(base.replace("uri: /d", "uri: /elsewhere/d"), "t");
        TrainConfig reordered = TrainConfigYaml.parse("output: {uri: /o}\ndata: {threads: 2, uri: /d}\nsteps: 10\n"
                + "method: byol\n", "t");
        assertEquals(a.hash("D"), threads.hash("D"));
        assertEquals(a.hash("D"), moved.hash("D"), "the data is named by its content, not its location");
        assertEquals(a.hash("D"), reordered.hash("D"));
        assertNotEquals(a.hash("D"), a.hash("E"));
        assertNotEquals(a.hash("D"), seed.hash("D"));
        // micro_batch changes batch-norm statistics, so it is identity; the whole batch keeps earlier hashes
        TrainConfig whole = TrainConfigYaml.parse(base + "batch_size: 4096\nmicro_batch: 4096\n", "t");
        TrainConfig micro = TrainConfigYaml.parse(base + "micro_batch: 256\n", "t");
        assertEquals(a.hash("D"), whole.hash("D"));
        assertTrue(!a.identity("D").has("micro_batch"));
        assertEquals(256, micro.identity("D").get("micro_batch").asInt());
        assertNotEquals(a.hash("D"), micro.hash("D"));
    }

    /**
     * The device changes speed, not results: not in the identity. The precision changes the numbers: in it (and
     * absent for the default fp32, so the runs made before the key existed keep their hash).
     */
    @Test
    void deviceIsNotInTheHashPrecisionIs() {
        String base = "method: byol\nsteps: 10\ndata: {uri: /d}\noutput: {uri: /o}\n";
        TrainConfig a = TrainConfigYaml.parse(base, "t");
        assertEquals(DeviceSpec.AUTO, a.device());
        assertEquals(Precision.FP32, a.precision());
        assertTrue(!a.identity("D").has("device") && !a.identity("D").has("precision"), a.identity("D").toString());
        for (String d : new String[] {"cpu", "gpu", "gpu:0", "gpu:0,1", "auto"}) {
            TrainConfig c = TrainConfigYaml.parse(base + "device: " + d + "\n", "t");
            assertEquals(d, c.device().toString());
            assertEquals(a.hash("D"), c.hash("D"), d);
        }
        assertEquals(a.hash("D"), TrainConfigYaml.parse(base + "precision: fp32\n", "t").hash("D"));
        TrainConfig tf32 = TrainConfigYaml.parse(base + "precision: tf32\ndevice: gpu\n", "t");
        assertEquals(Precision.TF32, tf32.precision());
        assertEquals("tf32", tf32.identity("D").get("precision").asText());
        assertNotEquals(a.hash("D"), tf32.hash("D"));
        assertNotEquals(tf32.hash("D"), TrainConfigYaml.parse(base + "precision: bf16\ndevice: gpu\n", "t").hash("D"));
    }

    /** Bad device or precision values, and a precision the CPU cannot run, are one-line config errors. */
    @Test
    void deviceAndPrecisionErrors() {
        String base = "method: byol\nsteps: 10\ndata: {uri: /d}\noutput: {uri: /o}\n";
        assertEquals("device: 'tpu:0' is not a device; use " + DeviceSpec.FORMS, error(base + "device: tpu:0\n"));
        assertEquals("precision: 'fp8' is not a precision; use fp32, tf32, bf16 or fp16",
                error(base + "precision: fp8\n"));
        String bf16 = error(base + "precision: bf16\ndevice: cpu\n");
        assertTrue(bf16.startsWith("precision: bf16 cannot train on the CPU"), bf16);
        assertTrue(error(base + "precision: fp16\ndevice: cpu\n").startsWith("precision: fp16 cannot train"));
        assertTrue(error(base + "precision: tf32\ndevice: cpu\n").startsWith("precision: tf32 runs on CUDA"));
    }

    @Test
    void theFieldsAreWhatTheReaderAsksFor() {
        assertTrue(TrainConfigYaml.fields().containsAll(java.util.List.of("method", "seed", "optimizer.base_lr",
                "ema.base_tau", "masks.set", "data.uri", "output.checkpoint_every", "torch_threads", "device",
                "precision")),
                TrainConfigYaml.fields().toString());
        assertTrue(TrainConfigYaml.sections().containsAll(java.util.List.of("optimizer", "backbone", "data")));
        for (String f : TrainConfigYaml.fields()) {
            // every listed field is accepted in a config (no "unknown field")
            String yaml = "method: byol\nsteps: 10\ndata: {uri: /d}\noutput: {uri: /o}\n";
            com.fasterxml.jackson.databind.node.ObjectNode tree = (com.fasterxml.jackson.databind.node.ObjectNode)
                    org.detcon.core.config.YamlDocument.parse(yaml, "t").root().deepCopy();
            org.detcon.core.config.ConfigOverrides.apply(tree, f, tree.textNode("x"));
            try {
                TrainConfigYaml.parse(tree, "t");
            } catch (ConfigException e) {
                assertTrue(!e.getMessage().contains("unknown field"), f + ": " + e.getMessage());
            }
        }
    }

    @Test
    void theShippedConfigsParse() throws IOException {
        Path dir = Path.of("..", "configs");
        int n = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : (Iterable<Path>) s.filter(p -> p.toString().endsWith(".yaml"))::iterator) {
                TrainConfig c = TrainConfigYaml.load(f);
                c.toPretrainConfig(312);
                n++;
            }
        }
        assertTrue(n >= 5, "paper recipes + the CPU recipe, got " + n);
    }
}
