package org.detcon.trainer.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process from {@code /proc/self/status} (Linux); -1 where unavailable. */
public final class ProcessMemory {

    private ProcessMemory() {
    }

    /** Current resident set size in bytes (VmRSS). */
    public static long rssBytes() {
        return field("VmRSS:");
    }

    /** Peak resident set size in bytes (VmHWM). */
    public static long peakRssBytes() {
        return field("VmHWM:");
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    String[] f = line.substring(name.length()).trim().split("\\s+");
                    return Long.parseLong(f[0]) * 1024; // kB
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
