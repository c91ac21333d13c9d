package org.detcon.trainer.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.detcon.core.config.ConfigFileException;
import org.detcon.core.config.YamlDocument;
import org.detcon.trainer.engine.DeviceSpec;
import org.detcon.trainer.engine.Precision;
import org.detcon.trainer.train.Method;

/**
 * Reads a training config from YAML. Every field but {@code method}, {@code output.uri}, the run length, (for
 * DetCon) {@code masks.set} and (to train on shards, i.e. always from a file) {@code data.uri} has a default;
 * optimisation defaults are the paper's recipe for the method (detcon-spec.md section 6). Unknown fields and wrong
 * types are errors naming the field. {@link #fields()} lists every field, as the dotted paths that {@code --set}
 * overrides and sweep axes name.
 * <pre>
 * method: detcon_b              # detcon_b | detcon_s | simclr | byol
 * backbone: {depth: 50, width: 1}
 * image_size: 224
 * batch_size: 4096
 * micro_batch: 4096             # default batch_size; smaller: gradient accumulated micro-batch by micro-batch
 * epochs: 1000                  # or steps: N
 * optimizer: {base_lr: 0.2, weight_decay: 1.5e-6, warmup_epochs: 10, momentum: 0.9, eta: 0.001}
 *                               # warmup_steps instead of warmup_epochs; LR = base_lr × batch / 256
 * ema: {base_tau: 0.996}        # DetCon_B / BYOL only
 * heads: {hidden: 4096, out: 256}
 * masks: {set: fh-s1000, per_view: 16, soft: false, grid_fallback: 0}
 * loss: {temperature: 0.1}
 * data: {uri: s3://bucket/imagenet-fh, shuffle_buffer: 10000, interleave: 4, threads: 8, prefetch: 4}
 * output: {uri: runs/detcon-b, checkpoint_every: 1000, keep_checkpoints: 3, log_every: 1}
 * seed: 0
 * torch_threads: 0              # 0: PyTorch's default
 * device: auto                  # auto | cpu | gpu | gpu:0 | gpu:0,1 (not part of the identity)
 * precision: fp32               # fp32 | tf32 (CUDA only); bf16 / fp16 are rejected (see Precision)
 * </pre>
 */
public final class TrainConfigYaml {

    private static final YAMLMapper YAML = new YAMLMapper();

    private TrainConfigYaml() {
    }

    /** Reads a config file (duplicate keys are errors). */
    public static TrainConfig load(Path file) {
        try {
            return parse(YamlDocument.read(file).root(), file.toString());
        } catch (ConfigFileException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    public static TrainConfig parse(String yaml, String what) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new ConfigException(what + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        return parse(root, what);
    }

    /** Reads a config from its YAML tree (e.g. after {@code --set} overrides were applied to it). */
    public static TrainConfig parse(JsonNode root, String what) {
        return read(root, what, new TreeSet<>());
    }

    /**
     * Every field a config can set, as dotted paths ({@code optimizer.base_lr}, {@code seed}, ...): what sweep axes
     * and {@code --set} may name.
     */
    public static Set<String> fields() {
        return FIELDS;
    }

    /** The sections ({@code optimizer}, {@code data}, ...): an axis may also replace a whole section. */
    public static Set<String> sections() {
        Set<String> out = new TreeSet<>();
        for (String f : FIELDS) {
            if (f.contains(".")) {
                out.add(f.substring(0, f.indexOf('.')));
            }
        }
        return out;
    }

    private static final Set<String> FIELDS = probeFields();

    /** The fields the reader asks for, collected by reading a config in which every section is present. */
    private static Set<String> probeFields() {
        ObjectNode probe = YAML.createObjectNode();
        probe.put("method", "detcon_b").put("steps", 1);
        for (String section : new String[] {"backbone", "optimizer", "ema", "heads", "masks", "loss", "data",
                "output"}) {
            probe.putObject(section);
        }
        ((ObjectNode) probe.get("masks")).put("set", "probe");
        ((ObjectNode) probe.get("data")).put("uri", "probe");
        ((ObjectNode) probe.get("output")).put("uri", "probe");
        Set<String> leaves = new TreeSet<>();
        read(probe, "probe", leaves);
        return Collections.unmodifiableSet(leaves);
    }

    private static TrainConfig read(JsonNode root, String what, Set<String> leaves) {
        if (root == null || !root.isObject()) {
            throw new ConfigException(what + ": expected a YAML mapping of fields");
        }
        ConfigMapping r = new ConfigMapping(root, "", leaves);
        Method method = method(r.text("method", null, true));
        ConfigMapping bb = r.obj("backbone");
        TrainConfig.Backbone backbone = new TrainConfig.Backbone(bb.integer("depth", 50), bb.integer("width", 1));
        int imageSize = r.integer("image_size", 224);
        int batch = r.integer("batch_size", 4096);
        int microBatch = r.integer("micro_batch", batch);
        long steps = r.longInt("steps", 0);
        double epochs = r.number("epochs", 0);
        if (steps <= 0 && epochs <= 0) {
            throw new ConfigException("steps: give the run length as steps or epochs (a positive number)");
        }
        ConfigMapping opt = r.obj("optimizer");
        double defLr;
        double defWd;
        switch (method) {
            case DETCON_B -> {
                defLr = 0.2;
                defWd = 1.5e-6;
            }
            case BYOL -> {
                boolean shortRun = epochs > 0 && epochs <= 300;
                defLr = shortRun ? 0.3 : 0.2;
                defWd = shortRun ? 1e-6 : 1.5e-6;
            }
            default -> {
                defLr = 0.3;
                defWd = 1e-6;
            }
        }
        long warmupSteps = opt.longInt("warmup_steps", -1);
        double warmupEpochs = opt.number("warmup_epochs", -1);
        if (warmupSteps >= 0 && warmupEpochs >= 0) {
            throw new ConfigException("optimizer.warmup_steps: give warmup_steps or warmup_epochs, not both");
        }
        if (warmupSteps < 0 && warmupEpochs < 0) {
            if (epochs > 0) { // the paper: 1% of the epochs for DetCon_B, 10 epochs for the others
                warmupEpochs = Math.min(method == Method.DETCON_B ? epochs / 100 : 10, epochs / 2);
            } else {
                warmupSteps = steps / 100;
            }
        }
        TrainConfig.Optimizer optimizer = new TrainConfig.Optimizer(opt.number("base_lr", defLr),
                opt.number("weight_decay", defWd), warmupSteps, warmupEpochs, opt.number("momentum", 0.9),
                opt.number("eta", 1e-3));
        TrainConfig.Ema ema = null;
        ConfigMapping e = r.obj("ema");
        if (method.hasTarget()) {
            ema = new TrainConfig.Ema(e.number("base_tau", epochs > 300 ? 0.996 : 0.99));
        } else if (e.present()) {
            throw new ConfigException("ema: " + method + " has no target network; remove the ema section");
        }
        ConfigMapping h = r.obj("heads");
        TrainConfig.Heads heads = new TrainConfig.Heads(h.integer("hidden", method.hasTarget() ? 4096 : 2048),
                h.integer("out", method.hasTarget() ? 256 : 128));
        ConfigMapping m = r.obj("masks");
        TrainConfig.Masks masks = new TrainConfig.Masks(m.text("set", null, false), m.integer("per_view", 16),
                m.bool("soft", false), m.integer("grid_fallback", 0));
        ConfigMapping l = r.obj("loss");
        double temperature = l.number("temperature", 0.1);
        ConfigMapping d = r.obj("data");
        TrainConfig.Data data = new TrainConfig.Data(d.text("uri", null, false), d.integer("shuffle_buffer", 1000),
                d.integer("interleave", 4), d.integer("threads", Math.max(1,
                        Runtime.getRuntime().availableProcessors() / 2)), d.integer("prefetch", 4));
        ConfigMapping o = r.obj("output");
        OutputConfig output = new OutputConfig(o.text("uri", null, true),
                o.longInt("checkpoint_every", 1000), o.integer("keep_checkpoints", 3), o.longInt("log_every", 1));
        long seed = r.longInt("seed", 0);
        int torchThreads = r.integer("torch_threads", 0);
        DeviceSpec device = device(r.text("device", "auto", false));
        Precision precision;
        String p = r.text("precision", "fp32", false);
        try {
            precision = Precision.parse(p);
        } catch (IllegalArgumentException ex) {
            throw new ConfigException("precision: " + ex.getMessage(), ex);
        }
        for (ConfigMapping x : new ConfigMapping[] {r, bb, opt, e, h, m, l, d, o}) {
            x.rejectUnknown();
        }
        return new TrainConfig(method, backbone, imageSize, batch, microBatch, steps, epochs, optimizer, ema, heads,
                masks, temperature, data, output, seed, torchThreads, device, precision);
    }

    /** Reads a {@code device} value; a bad one is a config error naming it. */
    public static DeviceSpec device(String s) {
        try {
            return DeviceSpec.parse(s);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("device: " + e.getMessage(), e);
        }
    }

    static Method method(String s) {
        String n = s.toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return Method.valueOf(n);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("method: unknown method '" + s + "' (one of detcon_b, detcon_s, simclr, byol)");
        }
    }
}
