package org.detcon.service.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.detcon.core.store.FileTrees;
import org.detcon.core.store.ObjectStores;
import org.detcon.core.store.ObjectTrees;
import org.detcon.service.jobs.JobKinds;

/**
 * An eval job in its JVM. The registered evals read a local dataset folder and write a local output folder, so an
 * object store's data is staged into {@code JOB/cache/data} first, and with an object store's output the eval
 * writes into {@code JOB/cache/out}, whose files then replace what was at the output URI ({@code result.json} and
 * whatever else the eval writes). The cache is deleted when the job ends (by this JVM, or by the service when the
 * JVM was stopped: {@link Scheduler}), so a service keeps no copy of the data between jobs. The backbone export is read where it is (the evals open it through the object store).
 */
final class EvalRun {

    static final String CACHE = "cache";

    private EvalRun() {
    }

    /** Runs {@code e} with its staging under {@code jobDir}; its metrics. */
    static Map<String, Double> run(JobKinds.EvalSpec e, Path jobDir) throws IOException {
        Path cache = jobDir.resolve(CACHE);
        FileTrees.delete(cache); // an earlier attempt's
        try {
            Path data = ObjectStores.localPath(e.data());
            if (data == null) {
                data = cache.resolve("data");
                long t0 = System.nanoTime();
                int n = ObjectTrees.download(e.data(), data);
                System.out.println(String.format(Locale.ROOT, "staged %d objects of %s in %.1f s", n, e.data(),
                        (System.nanoTime() - t0) / 1e9));
            }
            Path localOut = ObjectStores.localPath(e.out());
            Path out = localOut != null ? localOut : cache.resolve("out");
            Files.createDirectories(out);
            Map<String, Double> metrics = e.eval().run(e.backbone(), data, e.settings(), out);
            if (localOut == null) {
                ObjectTrees.clear(e.out()); // what an earlier attempt left
                int n = ObjectTrees.upload(out, e.out());
                System.out.println("uploaded " + n + " objects to " + e.out());
            }
            return metrics;
        } finally {
            FileTrees.delete(cache);
        }
    }
}
