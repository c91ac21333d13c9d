package org.detcon.trainer.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.trainer.checkpoint.BackboneExport;
import org.detcon.trainer.checkpoint.Checkpoints;
import org.detcon.core.store.LocalObjectStore;
import org.detcon.trainer.data.Example;
import org.detcon.trainer.data.InMemoryData;
import org.detcon.trainer.data.Shapes;
import org.detcon.trainer.run.listener.BackboneExporter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingRunTest {

    @TempDir
    Path tmp;

    private Path data;

    @BeforeEach
    void dataset() throws IOException {
        data = tmp.resolve("shapes");
        Shapes.writeDataset(ObjectStores.open(data.toString()), 48, 1, 12, 4);
    }

    private String yaml(String out, String extra) {
        return config(data.toString(), tmp.resolve(out).toString()) + extra;
    }

    /** A 4-step DetCon_B config on a shapes dataset at {@code dataUri}, output to {@code outUri}. */
    static String config(String dataUri, String outUri) {
        return """
                method: detcon_b
                backbone: {depth: 18, width: 1}
                image_size: 64
                batch_size: 4
                steps: 4
                heads: {hidden: 64, out: 32}
                masks: {set: shapes, per_view: 4}
                data: {uri: %s, shuffle_buffer: 4, threads: 2, prefetch: 2}
                output: {uri: %s, checkpoint_every: 2}
                torch_threads: 1
                """.formatted(dataUri, outUri);
    }

    private static List<Double> losses(Path out) throws IOException {
        try (ObjectStore store = ObjectStores.open(out.toString())) {
            return losses(store);
        }
    }

    /** The losses in a run's metrics.jsonl, checking that steps count up from 0 and every field is there. */
    static List<Double> losses(ObjectStore out) throws IOException {
        List<Double> l = new ArrayList<>();
        ObjectMapper m = new ObjectMapper();
        String text = new String(out.readAllBytes(TrainingRun.METRICS_FILE), StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            JsonNode o = m.readTree(line);
            assertEquals(l.size(), o.get("step").asLong());
            for (String f : new String[] {"loss", "lr", "ema_tau", "img_per_s", "data_wait", "epoch"}) {
                assertTrue(o.has(f), f + " in " + line);
            }
            l.add(o.get("loss").asDouble());
        }
        return l;
    }

    /**
     * SimCLR (one network) on 32 px views, 2 steps, one checkpoint at the end: the cheapest run that takes an
     * optimizer step.
     */
    private static String small(String yaml) {
        return yaml.replace("detcon_b", "simclr").replace("steps: 4", "steps: 2").replace("image_size: 64",
                "image_size: 32").replace("checkpoint_every: 2", "checkpoint_every: 50");
    }

    private static List<Double> plainLosses(Path out) throws IOException {
        List<Double> l = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve(TrainingRun.METRICS_FILE))) {
            l.add(new ObjectMapper().readTree(line).get("loss").asDouble());
        }
        return l;
    }

    /**
     * {@code device: cpu} trains exactly as the default ({@code auto}, the CPU on this host): the same losses, bit for
     * bit, and the same identity; run.json records the device beside it. A precision the CPU cannot run, reached
     * through {@code auto}, is refused before anything is created.
     */
    @Test
    void deviceCpuIsTheDefaultHereAndIsRecordedNotHashed() throws IOException {
        TrainConfig auto = TrainConfigYaml.parse(small(yaml("auto", "")), "auto.yaml");
        StringWriter err = new StringWriter();
        TrainingRun runAuto = TrainingRun.builder(auto).progress(new PrintWriter(err, true)).build();
        runAuto.run();
        assertTrue(err.toString().contains("device: cpu (auto: libtorch 2.7.1 is a CPU build)"), err.toString());
        TrainConfig cpu = TrainConfigYaml.parse(small(yaml("cpu", "device: cpu\n")), "cpu.yaml");
        TrainingRun runCpu = TrainingRun.builder(cpu).build();
        runCpu.run();
        List<Double> a = plainLosses(tmp.resolve("auto"));
        assertEquals(2, a.size());
        assertEquals(a, plainLosses(tmp.resolve("cpu")));
        assertEquals(runAuto.configHash(), runCpu.configHash());
        ObjectMapper m = new ObjectMapper();
        for (String out : new String[] {"auto", "cpu"}) {
            JsonNode run = m.readTree(tmp.resolve(out).resolve(TrainingRun.RUN_FILE).toFile());
            assertEquals("cpu", run.get("device").asText());
            assertEquals(runCpu.configHash(), run.get("config_sha256").asText());
            assertFalse(run.get("config").has("device"));
        }
        TrainConfig bf16 = TrainConfigYaml.parse(yaml("bf16", "precision: bf16\n"), "bf16.yaml");
        ConfigException e = assertThrows(ConfigException.class, () -> TrainingRun.builder(bf16).build().run());
        assertTrue(e.getMessage().startsWith("precision: bf16 cannot train on the CPU"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("bf16").resolve(TrainingRun.RUN_FILE)));
        ConfigException gpu = assertThrows(ConfigException.class, () -> TrainingRun.builder(
                TrainConfigYaml.parse(yaml("gpu", "device: gpu\n"), "gpu.yaml")).build().run());
        assertTrue(gpu.getMessage().startsWith("device: gpu: the loaded libtorch 2.7.1 is a CPU build"),
                gpu.getMessage());
    }

    @Test
    void runsResumesExactlyAndRefusesAnotherConfig() throws IOException {
        StringWriter err = new StringWriter();
        // A saves only at the end (each checkpoint writes R18 weights, target and momentum); the interval is not part
        // of the config's identity
        TrainConfig cfg = TrainConfigYaml.parse(yaml("a", "").replace("checkpoint_every: 2", "checkpoint_every: 50"),
                "a.yaml");
        TrainingLoop.Result r = TrainingRun.builder(cfg).progress(new PrintWriter(err, true)).build().run();
        assertEquals(4, r.steps());
        Path a = tmp.resolve("a");
        List<Double> full = losses(a);
        assertEquals(4, full.size());
        LocalObjectStore outA = new LocalObjectStore(a);
        assertEquals(4, Checkpoints.readState(outA, Checkpoints.latest(outA).orElseThrow()).step());
        assertEquals(4, BackboneExport.descriptor(new LocalObjectStore(a.resolve("backbone"))).step());
        String bar = err.toString();
        assertTrue(bar.contains("step 4/4") && bar.contains("img/s") && bar.contains("ETA"), bar);

        // interrupted after 2 steps, then resumed: the same losses as the uninterrupted run
        TrainConfig cfgB = TrainConfigYaml.parse(yaml("b", ""), "b.yaml");
        TrainingRun.builder(cfgB).build().run(2);
        assertTrue(Files.isDirectory(tmp.resolve("b").resolve("step-00000002")));
        assertFalse(Files.exists(tmp.resolve("b").resolve("backbone")));
        TrainingLoop.Result resumed = TrainingRun.builder(cfgB).build().run();
        assertEquals(2, resumed.startStep());
        assertEquals(full, losses(tmp.resolve("b")));

        // the same dataset elsewhere is the same data: the finished run is recognised, nothing is trained again
        Path moved = tmp.resolve("moved");
        Files.move(data, moved);
        TrainConfig relocated = TrainConfigYaml.parse(config(moved.toString(), a.toString())
                .replace("checkpoint_every: 2", "checkpoint_every: 50"), "moved.yaml");
        assertEquals(0, TrainingRun.builder(relocated).build().run().steps());
        Files.move(moved, data);

        // another seed into the same output: refused, naming the field
        TrainConfig other = TrainConfigYaml.parse(yaml("a", "seed: 9\n"), "c.yaml");
        ConfigException e = assertThrows(ConfigException.class, () -> TrainingRun.builder(other).build().run());
        assertTrue(e.getMessage().contains("another config") && e.getMessage().contains("seed"), e.getMessage());
    }

    @Test
    void microBatchesTrainFromShardsAndAreInTheRunsIdentity() throws IOException {
        TrainConfig cfg = TrainConfigYaml.parse(yaml("micro", "micro_batch: 2\n").replace("steps: 4", "steps: 1")
                .replace("checkpoint_every: 2", "checkpoint_every: 50"), "micro.yaml");
        assertEquals(1, TrainingRun.builder(cfg).build().run().steps());
        List<Double> l = losses(tmp.resolve("micro"));
        assertEquals(1, l.size());
        assertTrue(l.stream().allMatch(x -> Double.isFinite(x) && x > 0), l.toString());
        JsonNode run = new ObjectMapper().readTree(tmp.resolve("micro").resolve(TrainingLoop.RUN_FILE).toFile());
        assertTrue(run.toString().contains("\"micro_batch\":2"), run.toString());
    }

    @Test
    void divergenceStopsTheRunAndKeepsTheLastGoodCheckpoint() throws IOException {
        // warmup: step 0 has LR 0 (checkpointed, finite); step 1's absurd LR blows the weights up
        TrainConfig cfg = TrainConfigYaml.parse(yaml("nan", "optimizer: {base_lr: 1.0e30, warmup_steps: 2}\n")
                .replace("checkpoint_every: 3", "checkpoint_every: 1"), "nan.yaml");
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> TrainingRun.builder(cfg).build().run());
        Path out = tmp.resolve("nan");
        LocalObjectStore store = new LocalObjectStore(out);
        String latest = Checkpoints.latest(store).orElseThrow();
        Checkpoints.State s = Checkpoints.readState(store, latest); // verifies every file's sha256
        assertTrue(s.step() <= e.step(), s.step() + " vs " + e.step());
        assertTrue(e.getMessage().contains("diverged") && e.getMessage().contains(store.uri(latest)),
                e.getMessage());
        assertFalse(Files.exists(out.resolve(String.format("step-%08d", e.step() + 1))));
        assertFalse(Files.exists(out.resolve("backbone")));
    }

    @Test
    void inMemoryDataListenersAndExportsAtSteps() throws IOException {
        List<Example> examples = Shapes.generateAll(48, 5, 6).stream().map(Shapes.Sample::example).toList();
        InMemoryData mem = new InMemoryData(examples, "shapes 48px seed 5 n 6");
        String yaml = config("unused", tmp.resolve("mem").toString()).replace("checkpoint_every: 2",
                "checkpoint_every: 50").replace("image_size: 64", "image_size: 32");
        TrainConfig cfg = TrainConfigYaml.parse(yaml, "mem.yaml");
        List<String> events = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onTrainingBegin(TrainingContext ctx) {
                events.add("begin " + ctx.startStep() + ".." + ctx.endStep() + "/" + ctx.totalSteps());
            }

            @Override
            public void onStep(TrainingContext ctx, StepResult r) {
                events.add("step " + r.step() + (r.last() ? " last" : ""));
            }

            @Override
            public void onTrainingEnd(TrainingContext ctx) {
                events.add("end");
            }

            @Override
            public void close() {
                events.add("close");
            }
        };
        TrainingRun run = TrainingRun.builder(cfg).data(mem).listener(recorder).exportAt(List.of(0L, 2L)).build();
        assertEquals(4, run.run().steps());
        assertEquals(List.of("begin 0..4/4", "step 0", "step 1", "step 2", "step 3 last", "end", "close"), events);
        Path out = tmp.resolve("mem");
        for (long step : new long[] {0, 2, 4}) {
            LocalObjectStore export = new LocalObjectStore(out.resolve(BackboneExporter.location(step, 4)));
            assertEquals(step, BackboneExport.descriptor(export).step());
        }
        assertEquals("backbone", BackboneExporter.location(4, 4));
        assertFalse(Files.exists(out.resolve(BackboneExporter.location(4, 5))), "no duplicate of the final export");

        // the in-memory source resumes exactly too
        TrainConfig cfgB = TrainConfigYaml.parse(yaml.replace(tmp.resolve("mem").toString(),
                tmp.resolve("mem-b").toString()), "mem-b.yaml");
        TrainingRun.builder(cfgB).data(mem).build().run(3);
        TrainingRun.builder(cfgB).data(mem).build().run();
        assertEquals(losses(out), losses(tmp.resolve("mem-b")));
        // examples are named by their identity: other examples under the same name would be taken as the same data
        assertEquals(run.configHash(), TrainingRun.builder(cfgB).data(mem).build().configHash());
        assertNotEquals(run.configHash(), TrainingRun.builder(cfgB).data(new InMemoryData(examples, "other"))
                .build().configHash());
    }
}
