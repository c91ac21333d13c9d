package org.detcon.orchestration.quickstart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.detcon.core.hash.ContentHash;
import org.detcon.eval.data.nyu.NyuDepthV2Png;
import org.detcon.eval.data.voc.VocSegmentation;
import org.detcon.eval.metrics.depth.DepthRange;
import org.detcon.eval.probe.FrozenProbes;
import org.detcon.eval.probe.ProbeResult;
import org.detcon.orchestration.report.QuickReport;
import org.detcon.orchestration.runs.RunStore;
import org.detcon.orchestration.runs.Step;
import org.detcon.orchestration.runs.StepRunner;
import org.detcon.orchestration.synth.SceneGenerator;
import org.detcon.orchestration.synth.SynthDataset;
import org.detcon.segmentation.pipeline.MaskPipeline;
import org.detcon.segmentation.pipeline.MaskPipelineConfig;
import org.detcon.segmentation.pipeline.MaskRunResult;
import org.detcon.segmentation.pipeline.MaskSetSpec;
import org.detcon.segmentation.pipeline.RunnerSetup;
import org.detcon.trainer.data.Example;
import org.detcon.trainer.train.Method;

/**
 * The quickstart's step graph: synthetic data → Beam mask pipeline (FH at one scale + the 1×1 grid) → for DetCon_B
 * (FH masks) and BYOL (global mask) at the same budget: pretrain to each evaluated checkpoint → frozen-feature
 * probes on the val split → report. Every step goes through the {@link StepRunner}: recorded in the run store,
 * reused when its inputs are unchanged and its outputs verify, resumed after a kill (pretraining continues from
 * its newest checkpoint).
 */
public final class Quickstart {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    static final List<Method> METHODS = List.of(Method.DETCON_B, Method.BYOL);

    /** What a quickstart produced. */
    public record Outcome(long runId, Path report, List<QuickReport.Point> points, int stepsRun, int stepsReused,
            double seconds) {
    }

    private final QuickstartConfig cfg;
    private final PrintStream out;
    private int run;
    private int reused;
    /** Test hook: a pretraining step (method, global step) at which to stop as if the process were killed. */
    private String interruptMethod;
    private long interruptStep = -1;

    /** For tests: stop with an exception right after pretraining step {@code step} of {@code method}. */
    Quickstart interruptAt(Method method, long step) {
        this.interruptMethod = method.name().toLowerCase(Locale.ROOT);
        this.interruptStep = step;
        return this;
    }

    public Quickstart(QuickstartConfig cfg, PrintStream out) {
        this.cfg = cfg;
        this.out = out;
    }

    static String hashOf(Object o) {
        try {
            return ContentHash.sha256Hex(JSON.writeValueAsBytes(o));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Outcome run() throws Exception {
        Path work = cfg.workdir().toAbsolutePath();
        Files.createDirectories(work);
        List<Long> evals = cfg.evalSteps();
        int stages = 2 + METHODS.size() * evals.size() * 2 + 1;
        Progress progress = new Progress(out, stages, METHODS.size() * cfg.steps(), METHODS.size() * evals.size());
        try (RunStore store = RunStore.openIn(work)) {
            long runId = store.startRun("quickstart", hashOf(cfg.withRunner("-")), "workdir " + work);
            out.println("detcon quickstart: run " + runId + ", working directory " + work + ", run store "
                    + store.file());
            StepRunner steps = new StepRunner(store, runId, out);
            try {
                Outcome o = graph(work, steps, progress, evals, runId);
                store.finishRun(runId, "DONE");
                return o;
            } catch (Exception | Error e) {
                store.finishRun(runId, "FAILED");
                throw e;
            }
        }
    }

    private StepRunner.Result step(StepRunner runner, Step s) throws Exception {
        StepRunner.Result r = runner.run(s);
        if (r.reused()) {
            reused++;
        } else {
            run++;
        }
        return r;
    }

    private Outcome graph(Path work, StepRunner runner, Progress progress, List<Long> evals, long runId)
            throws Exception {
        // 1. data
        SynthDataset.Params params = new SynthDataset.Params(cfg.trainImages(), cfg.valImages(), cfg.size(),
                cfg.seed());
        Path dataDir = work.resolve("data").resolve(String.format(Locale.ROOT, "synth-%dpx-%d-%d-seed%d",
                cfg.size(), cfg.trainImages(), cfg.valImages(), cfg.seed()));
        progress.stage("data: " + cfg.trainImages() + " train + " + cfg.valImages() + " val scenes at " + cfg.size()
                + " px -> " + dataDir);
        StepRunner.Result data = step(runner, simple("data", Map.of("params", hashOf(params), "format",
                SynthDataset.FORMAT), () -> {
                    SynthDataset.write(dataDir, params, null);
                    return new Step.Outcome(Map.of("dataset", dataDir), Map.of("images",
                            (double) (params.trainImages() + params.valImages())));
                }));
        String dataHash = data.hash("dataset");

        // 2. masks
        List<MaskSetSpec> specs = List.of(MaskSetSpec.parse(cfg.fhMasks()), MaskSetSpec.grid(1));
        String fhName = specs.get(0).name();
        Map<String, String> maskInputs = Map.of("data", dataHash, "masks", specs.toString());
        Path maskDir = work.resolve("masks").resolve(StepRunner.key("masks", maskInputs).substring(0, 12));
        progress.stage("masks: Beam pipeline (" + specs + ") on " + cfg.runner() + " -> " + maskDir);
        StepRunner.Result masks = step(runner, simple("masks", maskInputs, () -> {
            Trees.delete(maskDir);
            MaskPipelineConfig mc = MaskPipelineConfig.images(SynthDataset.cocoImages(dataDir, "train").toString(),
                    specs, maskDir.toString()).withDatasetAndSplit("synth", "train");
            RunnerSetup.Prepared prepared = "direct".equals(cfg.runner()) ? RunnerSetup.direct(cfg.parallelism())
                    : RunnerSetup.flink("[local]", cfg.parallelism(), null, List.of());
            RunnerSetup.announce(prepared, out);
            out.flush();
            MaskRunResult r = MaskPipeline.run(mc, prepared.options());
            out.print(r.format());
            if (!r.countsAddUp()) {
                throw new IllegalStateException("mask pipeline counts do not add up");
            }
            return new Step.Outcome(Map.of("shards", maskDir), Map.of("samples", (double) r.manifest().samples(),
                    "rejected", (double) r.manifest().rejected()));
        }));
        String masksHash = masks.hash("shards");

        // 3./4. pretrain and evaluate each method at each checkpoint
        FrozenProbes.Config probeCfg = new FrozenProbes.Config(cfg.probeInput(), cfg.probeLambda(), cfg.probeTrain(),
                cfg.probeVal(), 16, SceneGenerator.NUM_CLASSES);
        List<QuickReport.Point> points = new ArrayList<>();
        Map<String, String> evalHashes = new TreeMap<>();
        for (Method method : METHODS) {
            String m = method.name().toLowerCase(Locale.ROOT);
            Pretraining.Recipe recipe = new Pretraining.Recipe(method, cfg.size(), cfg.batchSize(), cfg.steps(),
                    cfg.baseLr(), 1.5e-6, cfg.warmupSteps(), cfg.baseTau(), cfg.hidden(), cfg.out(),
                    cfg.masksPerView(), cfg.depth(), cfg.seed());
            String recipeHash = hashOf(recipe);
            Path trainDir = work.resolve("train").resolve(m + "-" + recipeHash.substring(0, 12) + "-"
                    + masksHash.substring(0, 8));
            Path ckDir = trainDir.resolve("checkpoints");
            List<Example>[] examples = new List[1];
            Pretraining.Session[] session = new Pretraining.Session[1];
            String prev = "none";
            long prevStep = 0;
            for (long target : evals) {
                final long from = prevStep;
                progress.stage("pretrain " + m + " to step " + target + " (batch " + cfg.batchSize() + ", "
                        + cfg.trainImages() + " images)");
                Path export = trainDir.resolve("backbones").resolve(String.format(Locale.ROOT, "step-%06d", target));
                Map<String, String> in = Map.of("shards", masksHash, "recipe", recipeHash, "previous", prev,
                        "target", Long.toString(target));
                StepRunner.Result trained = step(runner, simple("pretrain/" + m + "/step-" + target, in, () -> {
                    if (examples[0] == null) {
                        examples[0] = ShardExamples.load(maskDir.toString(),
                                method == Method.DETCON_B ? fhName : null);
                        session[0] = new Pretraining.Session(recipe, examples[0], ckDir);
                    }
                    long t0 = System.nanoTime();
                    long start = Math.max(from, startStep(ckDir, target));
                    progress.trainSkipped(start - from);
                    float[] losses = session[0].trainTo(target, Math.max(10, cfg.evalEvery() / 2), export,
                            (k, t, loss) -> {
                                progress.trainStep(k, t, loss, start, t0);
                                if (m.equals(interruptMethod) && k == interruptStep) {
                                    throw new IllegalStateException("interrupted at " + m + " step " + k
                                            + " (test hook)");
                                }
                            });
                    Map<String, Double> metrics = new LinkedHashMap<>();
                    metrics.put("steps_run", (double) losses.length);
                    if (losses.length > 0) {
                        metrics.put("last_loss", (double) losses[losses.length - 1]);
                    }
                    metrics.put("seconds", (System.nanoTime() - t0) / 1e9);
                    return new Step.Outcome(Map.of("backbone", export), metrics);
                }));
                if (trained.reused()) {
                    progress.trainSkipped(target - from);
                }
                prev = trained.hash("backbone");
                prevStep = target;

                progress.stage("evaluate " + m + " step " + target + ": linear probes (seg mIoU, depth δ<1.25) on val");
                Path evalFile = work.resolve("evals").resolve(m + "-step-" + target + "-"
                        + prev.substring(0, 12) + ".json");
                progress.stageDetail(trained.output("backbone").toString());
                Path backbone = trained.output("backbone");
                // keyed by the weights alone: identical weights (both methods' step 0) are evaluated once
                String weights = org.detcon.trainer.checkpoint.BackboneExport.descriptor(trained.output("backbone"))
                        .sha256();
                StepRunner.Result ev = step(runner, simple("eval/probes",
                        Map.of("weights", weights, "data", dataHash, "probe", hashOf(probeCfg)), () -> {
                            Path voc = SynthDataset.vocRoot(dataDir);
                            ProbeResult r = FrozenProbes.run(backbone.toString(),
                                    VocSegmentation.open(voc, VocSegmentation.Split.TRAIN),
                                    VocSegmentation.open(voc, VocSegmentation.Split.VAL),
                                    NyuDepthV2Png.open(SynthDataset.nyuRoot(dataDir, "train"), DepthRange.NYU),
                                    NyuDepthV2Png.open(SynthDataset.nyuRoot(dataDir, "val"), DepthRange.NYU),
                                    probeCfg);
                            Files.createDirectories(evalFile.getParent());
                            Map<String, Double> metrics = new LinkedHashMap<>();
                            metrics.put("miou", r.miou());
                            metrics.put("pixel_accuracy", r.pixelAccuracy());
                            metrics.put("delta1", r.delta1());
                            metrics.put("abs_rel", r.absRel());
                            metrics.put("rmse", r.rmse());
                            Files.write(evalFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(metrics));
                            return new Step.Outcome(Map.of("metrics", evalFile), metrics);
                        }));
                progress.evalDone(!ev.reused());
                Map<String, Double> mt = ev.metrics();
                out.printf(Locale.ROOT, "      %s step %d: mIoU %.1f%%, pixel acc. %.1f%%, delta1 %.1f%%, abs. rel. %.3f%n",
                        m, target, 100 * mt.get("miou"), 100 * mt.get("pixel_accuracy"), 100 * mt.get("delta1"),
                        mt.get("abs_rel"));
                points.add(new QuickReport.Point(displayName(method), target, mt.get("miou"),
                        mt.get("pixel_accuracy"), mt.get("delta1"), mt.get("abs_rel")));
                evalHashes.put(m + "-" + target, ev.hash("metrics"));
            }
            if (session[0] != null) {
                session[0].close();
            }
        }

        // 5. report
        progress.stage("report");
        Path reportDir = work.resolve("report");
        List<String> findings = findings(points);
        Map<String, String> settings = QuickReport.settings(
                "data", cfg.trainImages() + " train / " + cfg.valImages() + " val synthetic scenes, " + cfg.size()
                        + " px, seed " + cfg.seed() + " (" + dataDir + ")",
                "masks", specs + " on the " + cfg.runner() + " runner (" + maskDir + ")",
                "pretraining", "ResNet-" + cfg.depth() + ", " + cfg.steps() + " steps of batch " + cfg.batchSize()
                        + " per method, LARS base LR " + cfg.baseLr() + ", warmup " + cfg.warmupSteps()
                        + " steps, EMA tau " + cfg.baseTau() + ", heads " + cfg.hidden() + "/" + cfg.out()
                        + ", DetCon_B: " + cfg.masksPerView() + " masks per view from " + fhName
                        + "; BYOL: global mask",
                "probes", "frozen backbone, input " + cfg.probeInput() + " px (feature grid "
                        + cfg.probeInput() / 32 + "x" + cfg.probeInput() / 32 + "), features bilinearly upsampled "
                        + "to label resolution; closed-form ridge (lambda " + cfg.probeLambda() + "): class-balanced "
                        + "one-hot least squares for segmentation, log-depth for depth; fitted on " + cfg.probeTrain()
                        + " train images, scored on " + cfg.probeVal() + " val images",
                "run store", work.resolve(".detcon/runs.mv.db") + " (detcon runs list / show)");
        StepRunner.Result rep = step(runner, simple("report", Map.of("evals", hashOf(evalHashes), "settings",
                hashOf(settings), "findings", hashOf(findings)), () -> {
                    Path html = QuickReport.write(reportDir, "DetCon quickstart: DetCon_B vs BYOL at the same budget",
                            points, settings, findings);
                    return new Step.Outcome(Map.of("report", reportDir), Map.of());
                }));
        for (String f : findings) {
            out.println("  " + f);
        }
        Path html = rep.output("report").resolve("report.html");
        out.printf(Locale.ROOT, "quickstart done in %s: %d steps run, %d reused%n", Progress.dur(progress.elapsed()),
                run, reused);
        out.println("report: " + html);
        out.println("        " + rep.output("report").resolve("report.md"));
        return new Outcome(runId, html, points, run, reused, progress.elapsed());
    }

    static String displayName(Method m) {
        return switch (m) {
            case DETCON_B -> "DetCon_B";
            case DETCON_S -> "DetCon_S";
            case BYOL -> "BYOL";
            case SIMCLR -> "SimCLR";
        };
    }

    /** The comparison at the last checkpoint, in words. */
    static List<String> findings(List<QuickReport.Point> points) {
        Map<String, QuickReport.Point> last = new LinkedHashMap<>();
        Map<String, QuickReport.Point> first = new LinkedHashMap<>();
        for (QuickReport.Point p : points) {
            last.merge(p.method(), p, (a, b) -> a.step() >= b.step() ? a : b);
            first.merge(p.method(), p, (a, b) -> a.step() <= b.step() ? a : b);
        }
        List<String> out = new ArrayList<>();
        QuickReport.Point d = last.get("DetCon_B");
        QuickReport.Point b = last.get("BYOL");
        if (d == null || b == null) {
            return out;
        }
        out.add(String.format(Locale.ROOT, "At step %d: DetCon_B mIoU %.1f%% vs BYOL %.1f%% (%+.1f); "
                + "delta1 %.1f%% vs %.1f%% (%+.1f).", d.step(), 100 * d.miou(), 100 * b.miou(),
                100 * (d.miou() - b.miou()), 100 * d.delta1(), 100 * b.delta1(), 100 * (d.delta1() - b.delta1())));
        QuickReport.Point d0 = first.get("DetCon_B");
        QuickReport.Point b0 = first.get("BYOL");
        out.add(String.format(Locale.ROOT, "From the random initialisation (step %d): DetCon_B mIoU %+.1f, "
                + "BYOL %+.1f; delta1 DetCon_B %+.1f, BYOL %+.1f.", d0.step(), 100 * (d.miou() - d0.miou()),
                100 * (b.miou() - b0.miou()), 100 * (d.delta1() - d0.delta1()), 100 * (b.delta1() - b0.delta1())));
        boolean wins = d.miou() > b.miou() && d.delta1() > b.delta1();
        out.add(wins ? "DetCon_B beats BYOL on both probes at the same budget."
                : "DetCon_B does NOT beat BYOL on both probes here; see the README for what this short CPU budget "
                        + "can and cannot show.");
        return out;
    }

    /** The newest checkpoint's step at or below {@code target} (0 if none). */
    static long startStep(Path ckDir, long target) {
        try {
            var latest = org.detcon.trainer.checkpoint.Checkpoints.latest(ckDir);
            if (latest.isPresent()) {
                long s = org.detcon.trainer.checkpoint.Checkpoints.readState(latest.get()).step();
                return s <= target ? s : 0;
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    interface Work {
        Step.Outcome run() throws Exception;
    }

    static Step simple(String name, Map<String, String> inputs, Work work) {
        return new Step() {
            public String name() {
                return name;
            }

            public Map<String, String> inputs() {
                return inputs;
            }

            public Outcome execute() throws Exception {
                return work.run();
            }
        };
    }
}
