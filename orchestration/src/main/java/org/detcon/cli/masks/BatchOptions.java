package org.detcon.cli.masks;

import picocli.CommandLine.Option;

/** Options shared by the single-image mask commands. */
public final class BatchOptions {

    @Option(names = "--threads", description = "Images processed at once in folder mode (default: number of cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--max-pixels", description = "Reject images with more pixels than this (default: ${DEFAULT-VALUE}).",
            defaultValue = "100000000")
    long maxPixels;
}
