package org.detcon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/** Runs the CLI in-process and captures what it prints. */
public record CliRunner(int exitCode, String out, String err) {

    public static CliRunner run(String... args) {
        CommandLine cl = DetconCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CliRunner(code, out.toString(), err.toString());
    }

    /**
     * {@code detcon train shapes} of {@code images} 32 px images into {@code dir/shapes}, and {@code dir/NAME.yaml}: a
     * one-step ResNet-18 {@code method} run on it (32 px views, batch 4, small heads, one data and one PyTorch
     * thread) writing to {@code dir/NAME}, plus the {@code extra} YAML lines. Returns the config file.
     */
    public static Path tinyTrainConfig(Path dir, String name, String method, int images, String extra)
            throws IOException {
        Path shapes = dir.resolve("shapes");
        if (!Files.isDirectory(shapes)) {
            assertEquals(0, run("train", "shapes", shapes.toString(), "--count", String.valueOf(images), "--size",
                    "32", "--per-shard", "4").exitCode());
        }
        Path cfg = dir.resolve(name + ".yaml");
        Files.writeString(cfg, """
                method: %s
                backbone: {depth: 18}
                image_size: 32
                batch_size: 4
                steps: 1
                heads: {hidden: 16, out: 8}
                data: {uri: %s, shuffle_buffer: 4, threads: 1, prefetch: 1}
                output: {uri: %s}
                torch_threads: 1
                """.formatted(method, shapes, dir.resolve(name)) + extra);
        return cfg;
    }
}
