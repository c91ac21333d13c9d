package org.detcon.eval.detection.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a COCO-layout dataset keeps one split: the instances file and the image folder. Accepted layouts, for
 * split {@code train} (likewise {@code val}):
 * <ul>
 *   <li>real COCO: {@code ROOT/annotations/instances_train2017.json} and {@code ROOT/train2017/};</li>
 *   <li>{@code detcon data synth}'s output: {@code ROOT/coco/annotations/instances_train.json} and
 *       {@code ROOT/coco/train/}, or the same with {@code ROOT} pointing at its {@code coco/} folder.</li>
 * </ul>
 */
public record CocoSplit(String split, Path annotations, Path images) {

    /** The first layout found under {@code root}; a one-line error naming what was looked for otherwise. */
    public static CocoSplit resolve(Path root, String split) {
        List<CocoSplit> candidates = List.of(
                new CocoSplit(split, root.resolve("annotations/instances_" + split + "2017.json"),
                        root.resolve(split + "2017")),
                new CocoSplit(split, root.resolve("annotations/instances_" + split + ".json"), root.resolve(split)),
                new CocoSplit(split, root.resolve("coco/annotations/instances_" + split + ".json"),
                        root.resolve("coco/" + split)));
        for (CocoSplit c : candidates) {
            if (Files.isRegularFile(c.annotations()) && Files.isDirectory(c.images())) {
                return c;
            }
        }
        throw new IllegalArgumentException("no COCO " + split + " split under " + root + ": expected "
                + "annotations/instances_" + split + "2017.json with " + split + "2017/ (COCO) or "
                + "[coco/]annotations/instances_" + split + ".json with [coco/]" + split + "/ (detcon data synth)");
    }
}
