package org.detcon.cli.data;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.detcon.cli.UsageException;
import org.detcon.orchestration.synth.SceneGenerator;
import org.detcon.orchestration.synth.SynthDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code detcon data synth}: deterministic synthetic scenes in COCO, VOC and NYU formats. */
@Command(name = "synth",
        mixinStandardHelpOptions = true,
        description = {
            "Draw deterministic scenes (a gray wall and floor seen in perspective, 2-4 objects standing on the "
                    + "floor: disc, square, triangle, ring, star, each class with its own surface pattern; "
                    + "occlusions; depth from the camera's geometry) and write them as COCO instances (polygons and "
                    + "RLE), VOC palette PNGs + JPEGs + ImageSets, and NYU-style rgb/ + 16-bit depth/ PNGs (mm).",
            "Same arguments, same bytes."})
public final class SynthCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (replaced).")
    Path out;

    @Option(names = "--images", defaultValue = "1000", paramLabel = "N", description = "Training images (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--val-images", paramLabel = "N", description = "Validation images (default: images / 5, at least 1).")
    Integer valImages;

    @Option(names = "--size", defaultValue = "96", paramLabel = "PX", description = "Image side in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "K", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--scene", defaultValue = SceneGenerator.Style.DEFAULT_TEXT, paramLabel = "K=V,...",
            description = "Scene style, any of objects=MIN-MAX, gray=true|false, pattern=AMPLITUDE, floor=AMPLITUDE, "
                    + "scale=FACTOR, ink=image|object; the rest as the default (${DEFAULT-VALUE}).")
    String scene;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        int val = valImages != null ? valImages : Math.max(1, images / 5);
        SynthDataset.Params p;
        try {
            p = new SynthDataset.Params(images, val, size, seed, SceneGenerator.Style.parse(scene));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        long t0 = System.nanoTime();
        SynthDataset.write(out, p, null);
        spec.commandLine().getOut().printf("wrote %d train + %d val images (%dx%d, seed %d, %s) to %s in %.1f s%n",
                p.trainImages(), p.valImages(), size, size, seed, p.style().text(), out,
                (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
