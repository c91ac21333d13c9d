package org.detcon.cli.masks;

import java.util.concurrent.Callable;
import org.detcon.cli.UsageException;
import org.detcon.core.labelmap.GridMasks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code detcon masks grid}: n×n grid label maps. */
@Command(name = "grid",
        mixinStandardHelpOptions = true,
        description = {
            "n x n grid masks: the cell of pixel (y,x) is floor(y*n/H)*n + floor(x*n/W).",
            "INPUT is a JPEG/PNG file (OUTPUT is the .png to write) or a folder (OUTPUT is a folder)."})
public final class GridCommand implements Callable<Integer> {

    @Option(names = "--n", required = true, description = "Cells per side (n=1 is the global mask).")
    int n;

    @Mixin
    BatchOptions batch;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (n < 1 || n > GridMasks.MAX_N) {
            throw new UsageException("--n must be between 1 and " + GridMasks.MAX_N + ", got " + n);
        }
        return new LabelMapBatch(batch, spec, image -> GridMasks.grid(n, image.width(), image.height())).run();
    }
}
