package org.detcon.cli.train;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.detcon.cli.UsageException;
import org.detcon.core.shard.DatasetManifest;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.trainer.data.Shapes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code detcon train shapes OUTPUT}: the generated shapes dataset as shards, for the CPU recipe. */
@Command(name = "shapes",
        mixinStandardHelpOptions = true,
        description = {"Write generated images of shapes as shards (data for the CPU recipe):",
            "shaded gray backgrounds with 2-3 circles (checkered), squares (striped) and triangles (plain);",
            "mask set 'shapes' is their own partition."})
public final class ShapesCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "OUTPUT", description = "Dataset URI (local path, file: or s3://).")
    String output;

    @Option(names = "--count", defaultValue = "2048", description = "Images (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--size", defaultValue = "96", description = "Image side in pixels (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--per-shard", defaultValue = "256", description = "Images per shard (default ${DEFAULT-VALUE}).")
    int perShard;

    @Option(names = "--seed", defaultValue = "0", description = "Generator seed (default ${DEFAULT-VALUE}).")
    long seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (count < 1 || size < 16 || perShard < 1) {
            throw new UsageException("need --count >= 1, --size >= 16, --per-shard >= 1");
        }
        try (ObjectStore store = ObjectStores.open(output)) {
            if (store.exists(DatasetManifest.FILE_NAME)) {
                throw new UsageException(store.uri(DatasetManifest.FILE_NAME) + " exists already; choose another"
                        + " OUTPUT");
            }
            DatasetManifest m = Shapes.writeDataset(store, size, seed, count, perShard);
            spec.commandLine().getOut().println(m.samples() + " samples in " + m.shards().size() + " shards at "
                    + store.uri());
        }
        return 0;
    }
}
