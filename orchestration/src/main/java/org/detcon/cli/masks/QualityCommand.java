package org.detcon.cli.masks;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.detcon.core.coco.CocoDataset;
import org.detcon.core.coco.CocoReader;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.segmentation.quality.AboQuality;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code detcon masks quality}: ABO of each mask set of a shard dataset against COCO ground truth. */
@Command(name = "quality",
        mixinStandardHelpOptions = true,
        description = {
            "Mask quality as in the DetCon paper (Fig. 7): ABO, the mean over ground-truth instances of the best IoU"
                    + " with any mask of a mask set, per mask set, overall and per category.",
            "Samples are matched to COCO images by the image id of their gt mask set, else by source file name."})
public final class QualityCommand implements Callable<Integer> {

    @Option(names = "--masks", required = true, paramLabel = "URI", description = "Shard dataset (detcon masks run output).")
    String masks;

    @Option(names = "--gt", required = true, paramLabel = "COCO_ANNOTATIONS", description = "COCO instances JSON.")
    Path gt;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the full report (per category) as JSON; '-' prints it.")
    String json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        CocoDataset coco = CocoReader.read(gt);
        AboQuality q;
        try (ObjectStore store = ObjectStores.open(masks)) {
            q = AboQuality.evaluate(store, coco);
        }
        PrintWriter out = spec.commandLine().getOut();
        String report = q.toJson().toPrettyString();
        if ("-".equals(json)) {
            out.println(report);
        } else {
            out.print(q.table());
            if (json != null) {
                Files.writeString(Path.of(json), report + "\n");
                out.println("report: " + json);
            }
        }
        out.flush();
        return 0;
    }
}
