package org.detcon.orchestration.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
        return cpuInfo().getOrDefault("model name", System.getProperty("os.arch"));
    }

    /** Instruction-set extensions that choose PyTorch's CPU kernels (and so the last digits of results). */
    private static final List<String> KERNEL_FLAGS = List.of("avx", "avx2", "fma", "avx512f", "avx512_vnni",
            "avx512_bf16", "amx_tile");

    /**
     * The CPU as precisely as the machine tells it: the model name, then family, model and stepping and the
     * instruction-set extensions PyTorch's kernels are chosen by (a virtual machine may name every generation of a
     * vendor's CPUs alike, e.g. "AMD EPYC"), e.g. {@code AMD EPYC (family 25 model 17 stepping 1; avx avx2 fma
     * avx512f)}. Where there is no /proc/cpuinfo, {@link #cpuModel}.
     */
    public static String cpuSignature() {
        Map<String, String> info = cpuInfo();
        if (info.isEmpty()) {
            return cpuModel();
        }
        Set<String> flags = new HashSet<>(List.of(info.getOrDefault("flags", "").trim().split("\\s+")));
        List<String> present = new ArrayList<>();
        for (String f : KERNEL_FLAGS) {
            if (flags.contains(f)) {
                present.add(f);
            }
        }
        return String.format(Locale.ROOT, "%s (family %s model %s stepping %s; %s)", cpuModel(),
                info.getOrDefault("cpu family", "?"), info.getOrDefault("model", "?"),
                info.getOrDefault("stepping", "?"), present.isEmpty() ? "no vector extensions" : String.join(" ", present));
    }

    /** The first processor's fields of /proc/cpuinfo (empty where there is none). */
    private static Map<String, String> cpuInfo() {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            Path info = Path.of("/proc/cpuinfo");
            if (Files.isReadable(info)) {
                for (String l : Files.readAllLines(info)) {
                    if (l.isBlank()) {
                        break;
                    }
                    int colon = l.indexOf(':');
                    if (colon > 0) {
                        out.putIfAbsent(l.substring(0, colon).trim(), l.substring(colon + 1).trim());
                    }
                }
            }
        } catch (IOException e) {
            // no details
        }
        return out;
    }
}
