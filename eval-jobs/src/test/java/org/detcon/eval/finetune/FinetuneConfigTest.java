package org.detcon.eval.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.detcon.eval.registry.EvalJob;
import org.detcon.eval.registry.EvalJobs;
import org.detcon.trainer.run.ConfigException;
import org.junit.jupiter.api.Test;

/** The fine-tuning config: the recipes, per-task defaults, strictness, the LR sweep, the registered evals. */
class FinetuneConfigTest {

    private static final Path RECIPES = Path.of("..", "configs", "eval");

    private static FinetuneConfig parse(String yaml) throws IOException {
        return FinetuneConfigYaml.parse(new YAMLMapper().readTree(yaml), "t.yaml", "out");
    }

    @Test
    void theRecipesAreThePapersProtocols() {
        FinetuneConfig voc = FinetuneConfigYaml.load(RECIPES.resolve("voc-fcn-r50.yaml"), "out");
        assertEquals(Task.VOC_SEG, voc.task());
        assertEquals(513, voc.data().cropWidth());
        assertEquals(45, voc.epochs());
        assertEquals(0.01, voc.lr());
        assertEquals(6, voc.head().dilation());
        FinetuneConfig city = FinetuneConfigYaml.load(RECIPES.resolve("cityscapes-fcn-r50.yaml"), "out");
        assertEquals(769, city.data().cropHeight());
        assertEquals(160, city.epochs());
        FinetuneConfig nyu = FinetuneConfigYaml.load(RECIPES.resolve("nyu-depth-r50.yaml"), "out");
        assertEquals(7500, nyu.steps());
        assertEquals(256, nyu.batchSize());
        assertEquals(5e-4, nyu.optimizer().weightDecay());
        assertArrayEquals(new int[] {512, 256, 128, 64}, nyu.head().upChannels());
        assertFalse(nyu.data().randomCrop());
        // the step schedule: x0.1 at 70 % and 90 %
        assertEquals(0.16, nyu.schedule(7500).at(5249), 1e-12);
        assertEquals(0.016, nyu.schedule(7500).at(5250), 1e-12);
        assertEquals(0.0016, nyu.schedule(7500).at(6750), 1e-12);
        for (String f : new String[] {"voc-fcn-cpu.yaml", "nyu-depth-cpu.yaml"}) {
            FinetuneConfigYaml.load(RECIPES.resolve(f), "out");
        }
    }

    @Test
    void defaultsStrictnessAndTheLearningRateSweep() throws IOException {
        FinetuneConfig d = parse("task: nyu-depth");
        assertEquals(304, d.data().cropWidth());
        assertEquals(228, d.data().cropHeight());
        assertEquals(0.5, d.data().scaleMin());
        assertEquals(BackboneMode.FINETUNE, d.backbone().mode());
        ConfigException unknown = assertThrows(ConfigException.class, () -> parse("task: voc-seg\ndata: {crops: 1}"));
        assertTrue(unknown.getMessage().startsWith("data.crops: unknown field"), unknown.getMessage());
        ConfigException type = assertThrows(ConfigException.class, () -> parse("task: voc-seg\nbatch_size: two"));
        assertTrue(type.getMessage().startsWith("batch_size:"), type.getMessage());
        assertThrows(ConfigException.class, () -> parse("task: voc-seg\nbackbone: {mode: half}"));
        assertThrows(ConfigException.class, () -> parse("task: depth"));
        FinetuneConfig sweep = parse("task: voc-seg\noptimizer: {lr: [0.001, 0.01]}");
        assertTrue(sweep.lrSweep());
        assertEquals(0.001, sweep.withLr(0.001).lr());
        assertThrows(IllegalStateException.class, sweep::lr);
        assertTrue(FinetuneConfigYaml.fields().containsAll(java.util.List.of("optimizer.lr", "backbone.mode",
                "data.crop", "head.up_channels", "head.dilation", "steps", "seed")));
        // the tree round-trips
        FinetuneConfig voc = FinetuneConfigYaml.load(RECIPES.resolve("voc-fcn-r50.yaml"), "out");
        assertEquals(voc.toTree(), FinetuneConfigYaml.parse(voc.toTree(), "tree", "out").toTree());
    }

    /** The device is read (default auto) but is not in the tree that result.json records and sweeps hash. */
    @Test
    void deviceIsReadButNotInTheTree() throws IOException {
        FinetuneConfig auto = parse("task: voc-seg");
        assertEquals("auto", auto.device().toString());
        FinetuneConfig gpu = parse("task: voc-seg\ndevice: gpu:1");
        assertEquals("gpu:1", gpu.device().toString());
        assertEquals("gpu:1", gpu.withLr(0.1).withOutput("elsewhere").device().toString());
        assertFalse(gpu.toTree().has("device"));
        assertEquals(auto.toTree(), gpu.toTree());
        ConfigException bad = assertThrows(ConfigException.class, () -> parse("task: voc-seg\ndevice: gpu:x"));
        assertTrue(bad.getMessage().startsWith("device: 'gpu:x' is not a device"), bad.getMessage());
    }

    @Test
    void registeredEvalsResolveAConfigFileWithOverrides() {
        EvalJob voc = EvalJobs.get("voc-seg");
        assertTrue(EvalJobs.names().containsAll(java.util.List.of("voc-seg", "cityscapes-seg", "nyu-depth")));
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.put("config", RECIPES.resolve("voc-fcn-r50.yaml").toString());
        s.put("optimizer.lr", 0.003);
        s.put("backbone.mode", "frozen_bn");
        ObjectNode r = voc.resolve(s);
        assertEquals(0.003, r.get("optimizer").get("lr").asDouble());
        assertEquals("frozen_bn", r.get("backbone").get("mode").asText());
        assertEquals(45, r.get("epochs").asDouble());
        assertEquals(r, voc.resolve(r), "resolving the resolved settings changes nothing");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> voc.resolve(JsonNodeFactory.instance.objectNode().put("optimiser.lr", 1)));
        assertTrue(bad.getMessage().startsWith("voc-seg.optimiser.lr: unknown setting"), bad.getMessage());
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> EvalJobs.get("nyu-depth")
                .resolve(s));
        assertTrue(other.getMessage().contains("voc-seg"), other.getMessage());
        IllegalArgumentException value = assertThrows(IllegalArgumentException.class,
                () -> voc.resolve(JsonNodeFactory.instance.objectNode().put("batch_size", 0)));
        assertTrue(value.getMessage().startsWith("voc-seg.batch_size"), value.getMessage());
        // the metric keys the sweep report looks the paper's numbers up by
        assertTrue(voc.metric("miou").higherIsBetter() && voc.metric("miou").fraction());
        assertTrue(EvalJobs.get("cityscapes-seg").metric("miou").fraction());
        assertTrue(EvalJobs.get("nyu-depth").metric("delta1").fraction());
        assertFalse(EvalJobs.get("nyu-depth").metric("abs_rel").higherIsBetter());
        JsonNode list = JsonNodeFactory.instance.objectNode().set("optimizer.lr",
                JsonNodeFactory.instance.arrayNode().add(0.01).add(0.1));
        assertEquals(2, voc.resolve(list).get("optimizer").get("lr").size());
    }
}
