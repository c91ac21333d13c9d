package org.detcon.cli.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.detcon.cli.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code detcon infra up|down|status [all|flink|s3]}: starts, stops and checks the local Flink session cluster and
 * S3-compatible store through {@code infra/local/detcon-infra.sh} (its README documents output and exit codes).
 */
@Command(name = "infra",
        mixinStandardHelpOptions = true,
        description = {
            "Start, stop or check the local Flink 1.19 session cluster (dashboard http://127.0.0.1:8081) and the "
                    + "S3-compatible store (s3proxy, http://127.0.0.1:9000, bucket detcon).",
            "Logs, pids and data live under infra/local/.run/. 'status' exits 0 when all is healthy, 1 when all "
                    + "is stopped, 2 when partly running."})
public final class InfraCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ACTION", description = "up, down or status.")
    String action;

    @Parameters(index = "1", paramLabel = "PART", defaultValue = "all", description = "all (default), flink or s3.")
    String part;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (!action.matches("up|down|status")) {
            throw new UsageException("ACTION must be up, down or status, got '" + action + "'");
        }
        if (!part.matches("all|flink|s3")) {
            throw new UsageException("PART must be all, flink or s3, got '" + part + "'");
        }
        Path script = home().resolve("infra/local/detcon-infra.sh");
        if (!Files.isRegularFile(script)) {
            throw new UsageException("cannot find " + script + "; run detcon from a checkout of the repository "
                    + "(the ./detcon launcher sets detcon.home)");
        }
        Process p = new ProcessBuilder("bash", script.toString(), action, part).inheritIO().start();
        return p.waitFor();
    }

    private static Path home() {
        String home = System.getProperty("detcon.home");
        return Path.of(home == null ? "." : home).toAbsolutePath().normalize();
    }
}
