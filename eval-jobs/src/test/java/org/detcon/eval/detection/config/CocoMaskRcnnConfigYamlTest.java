package org.detcon.eval.detection.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.detcon.eval.detection.model.MaskRcnnConfig;
import org.detcon.eval.detection.train.DetectorTrainConfig;
import org.detcon.eval.finetune.BackboneMode;
import org.detcon.eval.registry.EvalJob;
import org.detcon.eval.registry.EvalJobs;
import org.detcon.trainer.model.ResNetConfig;
import org.detcon.trainer.run.ConfigException;
import org.junit.jupiter.api.Test;

class CocoMaskRcnnConfigYamlTest {

    @Test
    void defaultsAreThePaperOneXProtocolAndTorchvisionsConstants() {
        CocoMaskRcnnConfig c = CocoMaskRcnnConfigYaml.parse("task: coco-maskrcnn\n", "test", "out");
        DetectorTrainConfig t = c.train(ResNetConfig.resnet50(), 80);
        DetectorTrainConfig paper = DetectorTrainConfig.paper1x(81);
        assertEquals(paper, t);
        assertEquals(MaskRcnnConfig.torchvision(81), t.model());
        assertEquals(0.02 * 0.001, t.learningRate().at(0), 1e-12);
        assertEquals(0.002, t.learningRate().at(60_000), 1e-12);
    }

    @Test
    void everyRecipeInConfigsEvalParses() throws Exception {
        List<Path> recipes;
        try (Stream<Path> s = Files.list(Path.of("..", "configs", "eval"))) {
            recipes = s.filter(p -> p.getFileName().toString().startsWith("coco-maskrcnn")).sorted().toList();
        }
        assertEquals(4, recipes.size(), recipes.toString());
        for (Path p : recipes) {
            CocoMaskRcnnConfig c = CocoMaskRcnnConfigYaml.load(p, "out");
            String name = p.getFileName().toString();
            if (name.contains("r50fpn")) {
                assertEquals(1024, c.inputSize(), name);
                assertEquals(16, c.batchSize(), name);
                assertEquals(name.contains("2x") ? 180_000 : 90_000, c.iterations(), name);
                assertEquals(name.contains("frozen") ? BackboneMode.FROZEN : BackboneMode.FINETUNE, c.backboneMode());
                assertEquals(MaskRcnnConfig.torchvision(2).rpn(), c.model().rpn(), name);
                assertEquals(MaskRcnnConfig.torchvision(2).roiHeads(), c.model().roiHeads(), name);
            } else {
                assertTrue(c.inputSize() <= 256 && c.iterations() <= 1000, name + " is the small CPU recipe");
            }
        }
    }

    @Test
    void theTreeReadsBackAsTheSameRecipe() {
        CocoMaskRcnnConfig c = CocoMaskRcnnConfigYaml.load(Path.of("..", "configs", "eval",
                "coco-maskrcnn-cpu-synth.yaml"), "out");
        assertEquals(c, CocoMaskRcnnConfigYaml.parse(c.toTree(), "tree", "out"));
        assertEquals(c.toTree(), CocoMaskRcnnConfigYaml.parse(c.toTree(), "tree", "out").toTree());
    }

    /** The registered eval: a recipe file plus dotted overrides resolve to the whole recipe; bad keys name them. */
    @Test
    void theRegisteredEvalResolvesARecipeWithOverrides() {
        EvalJob job = EvalJobs.get("coco-maskrcnn");
        ObjectNode settings = JsonNodeFactory.instance.objectNode()
                .put("config", Path.of("..", "configs", "eval", "coco-maskrcnn-cpu-synth.yaml").toString())
                .put("iterations", 7).put("backbone.mode", "frozen");
        ObjectNode r = job.resolve(settings);
        assertEquals(7, r.get("iterations").asLong());
        assertEquals("frozen", r.get("backbone").get("mode").asText());
        assertEquals(128, r.get("input_size").asInt());
        assertEquals(job.resolve(settings), r);
        assertTrue(job.metric("bbox_ap").fraction() && job.metric("segm_ap").fraction());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> job.resolve(JsonNodeFactory.instance.objectNode().put("optimiser.lr", 0.1)));
        assertTrue(bad.getMessage().startsWith("coco-maskrcnn.optimiser.lr: unknown setting"), bad.getMessage());
        bad = assertThrows(IllegalArgumentException.class,
                () -> job.resolve(JsonNodeFactory.instance.objectNode().put("input_size", 100)));
        assertTrue(bad.getMessage().startsWith("coco-maskrcnn.input_size"), bad.getMessage());
    }

    @Test
    void fieldsListEveryDottedPathASetOverrideMayName() {
        var f = CocoMaskRcnnConfigYaml.fields();
        for (String k : new String[] {"task", "backbone.mode", "input_size", "optimizer.lr", "optimizer.milestones",
            "model.anchor_sizes", "model.rpn.nms", "model.roi_heads.detections_per_image", "eval.every",
            "output.checkpoint_every", "seed"}) {
            assertTrue(f.contains(k), k + " in " + f);
        }
        assertTrue(!f.contains("model.rpn") && !f.contains("model"), "sections are not leaves: " + f);
    }

    @Test
    void mistakesAreOneLineNamingTheField() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> CocoMaskRcnnConfigYaml.parse("backbone: {mode: thawed}\n", "t", "out"));
        assertTrue(e.getMessage().startsWith("backbone.mode"), e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> CocoMaskRcnnConfigYaml.parse("model: {rpn: {nms_thresh: 0.5}}\n", "t", "out"));
        assertTrue(e.getMessage().startsWith("model.rpn.nms_thresh: unknown field"), e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> CocoMaskRcnnConfigYaml.parse("input_size: 1000\n", "t", "out"));
        assertTrue(e.getMessage().startsWith("input_size"), e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> CocoMaskRcnnConfigYaml.parse("optimizer: {milestones: [80000, 60000]}\n", "t", "out"));
        assertTrue(e.getMessage().startsWith("optimizer"), e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> CocoMaskRcnnConfigYaml.parse("task: voc-fcn\n", "t", "out"));
        assertTrue(e.getMessage().startsWith("task"), e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> CocoMaskRcnnConfigYaml.parse("model: {anchor_sizes: [32, 64]}\n", "t", "out"));
        assertTrue(e.getMessage().startsWith("model.anchor_sizes"), e.getMessage());
        // the detector trains on the CPU: auto and cpu are accepted (and not in the recipe's tree), a GPU is refused
        assertEquals("cpu", CocoMaskRcnnConfigYaml.parse("device: cpu\n", "t", "out").device().toString());
        assertTrue(!CocoMaskRcnnConfigYaml.parse("device: cpu\n", "t", "out").toTree().has("device"));
        e = assertThrows(ConfigException.class, () -> CocoMaskRcnnConfigYaml.parse("device: gpu\n", "t", "out"));
        assertTrue(e.getMessage().startsWith("device: gpu: coco-maskrcnn trains on the CPU only"), e.getMessage());
    }
}
