package org.detcon.bench.gpu;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.detcon.core.config.ConfigOverrides;
import org.detcon.core.config.YamlDocument;
import org.detcon.core.shard.DatasetManifest;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.trainer.data.Shapes;
import org.detcon.trainer.engine.NativeCheck;
import org.detcon.trainer.run.TrainConfigYaml;
import org.detcon.trainer.run.TrainingLoop;
import org.detcon.trainer.run.TrainingRun;

/**
 * The trainer's one training path without the CLI jar (for hosts that get a small bundle, bench/gpu/):
 * <ul>
 *   <li>{@code train CONFIG.yaml [KEY.PATH=VALUE ...] [--max-steps N]}: {@link TrainingRun} as {@code detcon train
 *   --config CONFIG.yaml --set KEY.PATH=VALUE} runs it (progress on stderr, metrics.jsonl under output.uri), then
 *   one JSON line on stdout: steps, first/last loss, seconds, peak RSS, output;</li>
 *   <li>{@code shapes OUTPUT [count=2048 size=96 per_shard=256 seed=0]}: the generated shapes dataset as shards, as
 *   {@code detcon train shapes};</li>
 *   <li>{@code doctor}: the native-library report of {@code detcon doctor}.</li>
 * </ul>
 */
public final class Train {

    private Train() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: Train train CONFIG.yaml [KEY.PATH=VALUE ...] [--max-steps N]"
                    + " | shapes OUTPUT [count=N size=N per_shard=N seed=N] | doctor");
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        switch (args[0]) {
            case "train" -> {
                TrainingLoop.Result r = train(rest, new PrintWriter(System.err, true, StandardCharsets.UTF_8));
                System.out.printf(Locale.ROOT, "{\"kind\":\"train\",\"start_step\":%d,\"steps\":%d,"
                        + "\"first_loss\":%.6f,\"last_loss\":%.6f,\"seconds\":%.2f,\"peak_rss_mib\":%d,"
                        + "\"output\":\"%s\"}%n", r.startStep(), r.steps(), r.firstLoss(), r.lastLoss(), r.seconds(),
                        r.peakRssBytes() >> 20, r.output());
                System.out.flush();
                System.exit(0); // the loader's threads and libtorch's pools must not keep the JVM up
            }
            case "shapes" -> shapes(rest);
            case "doctor" -> NativeCheck.run().lines().forEach(System.out::println);
            default -> throw new IllegalArgumentException("unknown command " + args[0] + ": train, shapes or doctor");
        }
    }

    /**
     * {@code CONFIG.yaml [KEY.PATH=VALUE ...] [--max-steps N]}: the config with the overrides applied (as
     * {@code --set}), run through {@link TrainingRun} with its progress on {@code progress}.
     */
    static TrainingLoop.Result train(List<String> args, PrintWriter progress) throws IOException {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("train: give CONFIG.yaml");
        }
        Path config = Path.of(args.get(0));
        List<String> sets = new ArrayList<>();
        long maxSteps = Long.MAX_VALUE;
        for (int i = 1; i < args.size(); i++) {
            if (args.get(i).equals("--max-steps") && i + 1 < args.size()) {
                maxSteps = Long.parseLong(args.get(++i));
            } else {
                sets.add(args.get(i));
            }
        }
        ObjectNode tree = (ObjectNode) YamlDocument.read(config).root().deepCopy();
        ConfigOverrides.applyAll(tree, ConfigOverrides.parseAll(sets));
        return TrainingRun.builder(TrainConfigYaml.parse(tree, config.toString())).progress(progress).build()
                .run(maxSteps);
    }

    static void shapes(List<String> args) throws IOException {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("shapes: give OUTPUT");
        }
        org.detcon.bench.train.Args a = new org.detcon.bench.train.Args(args.subList(1, args.size())
                .toArray(new String[0]));
        try (ObjectStore store = ObjectStores.open(args.get(0))) {
            if (store.exists(DatasetManifest.FILE_NAME)) {
                throw new IllegalArgumentException(store.uri(DatasetManifest.FILE_NAME) + " exists already");
            }
            DatasetManifest m = Shapes.writeDataset(store, a.integer("size", 96), a.integer("seed", 0),
                    a.integer("count", 2048), a.integer("per_shard", 256));
            System.out.println(m.samples() + " samples in " + m.shards().size() + " shards at " + store.uri());
        }
    }
}
