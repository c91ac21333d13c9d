package org.detcon.cli.masks;

import java.util.concurrent.Callable;
import org.detcon.cli.UsageException;
import org.detcon.segmentation.fh.Felzenszwalb;
import org.detcon.segmentation.fh.FhParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code detcon masks fh}: Felzenszwalb-Huttenlocher label maps, identical to scikit-image's felzenszwalb. */
@Command(name = "fh",
        mixinStandardHelpOptions = true,
        description = {
            "Felzenszwalb-Huttenlocher segmentation, label for label identical to scikit-image 0.19's felzenszwalb.",
            "INPUT is a JPEG/PNG file (OUTPUT is the .png to write) or a folder (OUTPUT is a folder; each image "
                    + "NAME.* becomes OUTPUT/NAME.png).",
            "Writes a 16-bit grayscale PNG label map and prints the number of segments."})
public final class FhCommand implements Callable<Integer> {

    @Option(names = "--scale", required = true, description = "Scale (k = scale/255 on [0,1] intensities).")
    double scale;

    @Option(names = "--sigma", defaultValue = "0.8", description = "Gaussian pre-smoothing sigma (default: ${DEFAULT-VALUE}).")
    double sigma;

    @Option(names = "--min-size", description = "Minimum segment size in pixels (default: the scale).")
    Integer minSize;

    @Mixin
    BatchOptions batch;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        FhParams params;
        try {
            params = new FhParams(scale, sigma, minSize == null ? defaultMinSize(scale) : minSize);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return new LabelMapBatch(batch, spec, image -> Felzenszwalb.segment(image, params)).run();
    }

    private static int defaultMinSize(double scale) {
        if (!(scale > 0) || scale > Integer.MAX_VALUE) {
            throw new UsageException("--scale must be a positive number, got " + scale);
        }
        return (int) scale;
    }
}
