package org.detcon.orchestration.nightly;

import java.util.LinkedHashMap;
import java.util.Map;
import org.detcon.orchestration.report.Machine;
import org.detcon.trainer.engine.Torch;

/**
 * The platform a nightly run ran on: OS and architecture, Java, the DJL and PyTorch native versions, the CPU (model,
 * family/model/stepping and the vector extensions PyTorch's kernels depend on: {@link Machine#cpuSignature}) or GPU
 * model, the cores and the thread counts of its steps. Runs on equal fingerprints must agree to the bit; otherwise
 * results are compared within bands.
 */
public record Fingerprint(String os, String arch, String java, String djl, String pytorch, String cpu, String gpu,
        int cores, int maxParallel, int torchThreads) {

    /** This machine, for steps run {@code maxParallel} at a time with {@code torchThreads} PyTorch threads each. */
    public static Fingerprint current(int maxParallel, int torchThreads) {
        String djl;
        String pytorch;
        try {
            pytorch = Torch.engine().getVersion();
            djl = ai.djl.engine.Engine.getDjlVersion();
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            djl = "unknown";
            pytorch = "unavailable: " + e.getMessage();
        }
        return new Fingerprint(System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.vendor") + " " + System.getProperty("java.version"), djl, pytorch,
                Machine.cpuSignature(), "none (CPU)", Runtime.getRuntime().availableProcessors(), maxParallel,
                torchThreads);
    }

    /** Field → (baseline value, this value) for every field that differs. */
    public Map<String, String[]> differences(Fingerprint other) {
        Map<String, String[]> d = new LinkedHashMap<>();
        diff(d, "os", os, other.os);
        diff(d, "arch", arch, other.arch);
        diff(d, "java", java, other.java);
        diff(d, "djl", djl, other.djl);
        diff(d, "pytorch", pytorch, other.pytorch);
        diff(d, "cpu", cpu, other.cpu);
        diff(d, "gpu", gpu, other.gpu);
        diff(d, "cores", Integer.toString(cores), Integer.toString(other.cores));
        diff(d, "max_parallel", Integer.toString(maxParallel), Integer.toString(other.maxParallel));
        diff(d, "torch_threads", Integer.toString(torchThreads), Integer.toString(other.torchThreads));
        return d;
    }

    private static void diff(Map<String, String[]> d, String field, String a, String b) {
        if (!String.valueOf(a).equals(String.valueOf(b))) {
            d.put(field, new String[] {a, b});
        }
    }
}
