package org.detcon.orchestration.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Which machine numbers come from (results differ in the last digits between CPU models). */
public final class Machine {

    private Machine() {
    }

    /** The CPU model (from /proc/cpuinfo where there is one), core count, OS and Java version. */
    public static String describe() {
        return String.format(Locale.ROOT, "%s, %d cores, %s %s, Java %s", cpuModel(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"));
    }

    /** The CPU model from /proc/cpuinfo, else the architecture. */
    public static String cpuModel() {
        String cpu = System.getProperty("os.arch");
        try {
            Path info = Path.of("/proc/cpuinfo");
            if (Files.isReadable(info)) {
                for (String l : Files.readAllLines(info)) {
                    if (l.startsWith("model name")) {
                        cpu = l.substring(l.indexOf(':') + 1).trim();
                        break;
                    }
                }
            }
        } catch (IOException e) {
            // keep the architecture
        }
        return cpu;
    }
}
