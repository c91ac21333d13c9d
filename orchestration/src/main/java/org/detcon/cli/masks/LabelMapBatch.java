package org.detcon.cli.masks;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Stream;
import org.detcon.cli.UsageException;
import org.detcon.core.image.DecodeLimits;
import org.detcon.core.image.Image8;
import org.detcon.core.image.ImageDecodeException;
import org.detcon.core.image.ImageDecoder;
import org.detcon.core.image.ImageFormats;
import org.detcon.core.labelmap.LabelMap;
import org.detcon.core.labelmap.LabelMapPng;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Runs a label-map algorithm on one image or on every JPEG/PNG of a folder. Single image: prints the segment
 * count alone on stdout. Folder: one line per image in name order, then a summary; a bad image is reported and
 * skipped, the others still run, and the exit status is 1 if any image failed.
 */
final class LabelMapBatch {

    private final BatchOptions options;
    private final ImageDecoder decoder;
    private final Function<Image8, LabelMap> algorithm;
    private final PrintWriter out;
    private final PrintWriter err;

    LabelMapBatch(BatchOptions options, CommandSpec spec, Function<Image8, LabelMap> algorithm) {
        this.options = options;
        this.decoder = new ImageDecoder(DecodeLimits.ofMaxPixels(options.maxPixels));
        this.algorithm = algorithm;
        this.out = spec.commandLine().getOut();
        this.err = spec.commandLine().getErr();
    }

    int run() {
        Path input = options.input;
        Path output = options.output;
        if (!Files.exists(input)) {
            throw new UsageException("input " + input + " does not exist");
        }
        if (options.threads < 1) {
            throw new UsageException("--threads must be at least 1, got " + options.threads);
        }
        if (Files.isDirectory(input)) {
            return runFolder(input, output);
        }
        Path target = Files.isDirectory(output) ? output.resolve(outputName(input)) : output;
        int segments = process(input, target);
        out.println(segments);
        return 0;
    }

    private int runFolder(Path inputDir, Path outputDir) {
        if (Files.exists(outputDir) && !Files.isDirectory(outputDir)) {
            throw new UsageException("input " + inputDir + " is a folder, so OUTPUT must be a folder, but "
                    + outputDir + " is a file");
        }
        List<Path> images = listImages(inputDir);
        try {
            Files.createDirectories(outputDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create output folder " + outputDir + ": " + e.getMessage(), e);
        }
        long start = System.nanoTime();
        int failed = 0;
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(options.threads, Math.max(1, images.size())));
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (Path image : images) {
                Path target = outputDir.resolve(outputName(image));
                results.add(pool.submit(() -> process(image, target)));
            }
            for (int i = 0; i < images.size(); i++) {
                String name = images.get(i).getFileName().toString();
                try {
                    out.println(name + ": " + results.get(i).get() + " segments");
                } catch (ExecutionException e) {
                    failed++;
                    String reason = e.getCause() == null ? e.toString() : e.getCause().getMessage();
                    out.println(name + ": FAILED, skipped: " + reason);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while processing " + inputDir, e);
        } finally {
            pool.shutdownNow();
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        out.println("done: " + images.size() + " images, " + (images.size() - failed) + " written to " + outputDir
                + ", " + failed + " failed, " + ms + " ms");
        if (failed > 0) {
            err.println("detcon: " + failed + " of " + images.size() + " images in " + inputDir
                    + " failed (listed above); their label maps were not written");
            return 1;
        }
        return 0;
    }

    /** Decodes, runs the algorithm and writes the label map atomically; returns the segment count. */
    private int process(Path image, Path target) {
        Image8 decoded;
        try {
            decoded = decoder.decode(image);
        } catch (ImageDecodeException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        LabelMap labels = algorithm.apply(decoded);
        writeAtomically(labels, target);
        return labels.segmentCount();
    }

    private static void writeAtomically(LabelMap labels, Path target) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            try (OutputStream os = Files.newOutputStream(tmp)) {
                os.write(LabelMapPng.encode(labels));
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temporary name never looks like an output
                }
            }
        }
    }

    private static List<Path> listImages(Path dir) {
        List<Path> images;
        try (Stream<Path> files = Files.list(dir)) {
            images = files.filter(Files::isRegularFile)
                    .filter(p -> ImageFormats.isSupportedName(p.getFileName().toString()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        Map<String, Path> byOutput = new HashMap<>();
        for (Path p : images) {
            Path previous = byOutput.put(outputName(p), p);
            if (previous != null) {
                throw new UsageException(previous.getFileName() + " and " + p.getFileName() + " in " + dir
                        + " would both be written to " + outputName(p) + "; rename one of them");
            }
        }
        return images;
    }

    private static String outputName(Path image) {
        String name = image.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return (dot > 0 ? name.substring(0, dot) : name) + ".png";
    }
}
