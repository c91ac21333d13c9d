package org.detcon.cli.masks;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** INPUT, OUTPUT and the options shared by the single-image mask commands. */
public final class BatchOptions {

    @Parameters(index = "0", paramLabel = "INPUT", description = "Image file or folder of images.")
    Path input;

    @Parameters(index = "1", paramLabel = "OUTPUT", description = "Output .png file, or output folder.")
    Path output;

    @Option(names = "--threads", description = "Images processed at once in folder mode (default: number of cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--max-pixels", description = "Reject images with more pixels than this (default: ${DEFAULT-VALUE}).",
            defaultValue = "100000000")
    long maxPixels;
}
