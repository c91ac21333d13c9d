package org.detcon.trainer.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.cuda.CudaUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What native PyTorch this process runs on: the libtorch version, where it was loaded from (the bundled
 * {@code pytorch-native-cpu} jar, or a PyTorch installation named by {@code PYTORCH_LIBRARY_PATH}), whether it has
 * CUDA, and the CUDA devices it sees. {@code detcon doctor} prints it; {@link Devices#resolve} decides from it.
 *
 * <p><b>The GPU route</b> (DJL's CUDA builds of libtorch are not on Maven Central): the {@code pytorch-jni}
 * 2.7.1-0.36.0 jar carries JNI builds for {@code linux-x86_64/cpu} and {@code linux-x86_64/cu128}, both against
 * PyTorch 2.7.1. So a GPU host installs PyTorch 2.7.1 for CUDA 12.8 and names it: {@code PYTORCH_LIBRARY_PATH}
 * (the {@code torch/lib} folder holding {@code libtorch.so}), {@code PYTORCH_VERSION=2.7.1} and
 * {@code PYTORCH_FLAVOR=cu128}. Without the flavor DJL derives {@code cu<runtime>-precxx11} from the CUDA runtime
 * it finds, a folder the JNI jar does not have; with another PyTorch version the JNI does not link. DJL copies the
 * JNI from the jar into its cache ({@code ~/.djl.ai/pytorch}), so this works offline.
 *
 * <p>{@code cudaBuild}: the libtorch folder holds {@code libtorch_cuda.so}; {@code cuda}: PyTorch's
 * {@code torch::cuda::is_available()} (a CUDA build, a driver, at least one visible GPU). The GPUs are counted by
 * DJL's probe of the CUDA runtime ({@code CudaUtils}, through JNA); where that finds no {@code libcudart} (a pip
 * installation keeps it in {@code site-packages/nvidia/}) they are counted by allocating on {@code gpu:0},
 * {@code gpu:1}, ... until PyTorch refuses.
 */
public record NativeCheck(String libtorchVersion, String libtorchDir, Source source, boolean cudaBuild, boolean cuda,
        boolean cudnn, String cudaRuntime, List<Gpu> gpus, Map<String, String> environment, String loadError) {

    /** Where libtorch came from. */
    public enum Source { BUNDLED_CPU_JAR, PYTORCH_LIBRARY_PATH }

    /** One CUDA device: its id, compute capability (e.g. 90) and memory. */
    public record Gpu(int id, String computeCapability, long memoryBytes) {
    }

    /** The environment variables DJL reads to find libtorch and its JNI. */
    public static final List<String> ENV = List.of("PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION", "PYTORCH_FLAVOR",
            Precision.TF32_MATMUL_ENV, "CUDA_VISIBLE_DEVICES");

    /** The one thing to do to get a GPU run, for error lines and the doctor. */
    public static final String GPU_ROUTE = "on a GPU host install PyTorch 2.7.1 for CUDA 12.8 (e.g. pip install"
            + " torch==2.7.1 --index-url https://download.pytorch.org/whl/cu128) and set"
            + " PYTORCH_LIBRARY_PATH=<python site-packages>/torch/lib PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu128;"
            + " check with 'detcon doctor'";

    public NativeCheck {
        gpus = List.copyOf(gpus);
        environment = Map.copyOf(environment);
    }

    /** Loads the engine (if not yet loaded) and reports on it; a failure to load is reported, not thrown. */
    public static NativeCheck run() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : ENV) {
            String v = System.getenv(name);
            if (v == null) {
                v = System.getProperty(name);
            }
            if (v != null) {
                env.put(name, v);
            }
        }
        Source source = env.containsKey("PYTORCH_LIBRARY_PATH") ? Source.PYTORCH_LIBRARY_PATH
                : Source.BUNDLED_CPU_JAR;
        Engine engine;
        try {
            engine = Torch.engine();
        } catch (RuntimeException | LinkageError e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String why = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
            return new NativeCheck(null, null, source, false, false, false, null, List.of(), env,
                    firstLine(e.getMessage()) + (root == e ? "" : ": " + firstLine(why)));
        }
        String dir = LibUtils.getLibtorchPath();
        boolean cudaBuild = Files.exists(Path.of(dir, System.mapLibraryName("torch_cuda")));
        boolean cuda = engine.hasCapability(StandardCapabilities.CUDA);
        boolean cudnn = engine.hasCapability(StandardCapabilities.CUDNN);
        List<Gpu> gpus = new ArrayList<>();
        String runtime = null;
        int count = cuda ? engine.getGpuCount() : 0;
        if (cuda && count == 0) {
            count = countByAllocation(engine);
        }
        for (int i = 0; i < count; i++) {
            String cc;
            long mem;
            try {
                cc = CudaUtils.getComputeCapability(i);
                mem = CudaUtils.getGpuMemory(Device.gpu(i)).getMax();
            } catch (RuntimeException e) {
                cc = "?";
                mem = -1;
            }
            gpus.add(new Gpu(i, cc, mem));
        }
        if (count > 0) {
            try {
                int v = CudaUtils.getCudaVersion();
                runtime = (v / 1000) + "." + (v / 10 % 10);
            } catch (RuntimeException e) {
                runtime = null;
            }
        }
        return new NativeCheck(engine.getVersion(), dir, source, cudaBuild || cuda, cuda, cudnn, runtime, gpus, env,
                null);
    }

    /** The CUDA devices PyTorch accepts a tensor on: gpu:0, gpu:1, ... until one is refused. */
    private static int countByAllocation(Engine engine) {
        int n = 0;
        while (n < 64) {
            try (NDManager m = engine.newBaseManager(Device.gpu(n))) {
                m.zeros(new Shape(1)).toFloatArray();
            } catch (RuntimeException e) {
                break;
            }
            n++;
        }
        return n;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    /** Whether libtorch loaded and can compute on at least one GPU. */
    public boolean gpuUsable() {
        return loadError == null && cuda && !gpus.isEmpty();
    }

    /** Why no GPU can be used, as one line saying what to install or set (null when one can). */
    public String whyNoGpu() {
        if (loadError != null) {
            return "libtorch did not load (" + loadError + "); " + GPU_ROUTE;
        }
        if (!cudaBuild) {
            return "the loaded libtorch " + libtorchVersion + " is a CPU build (" + describeSource() + "); "
                    + GPU_ROUTE;
        }
        if (!cuda || gpus.isEmpty()) {
            return "libtorch " + libtorchVersion + " is a CUDA build but sees no GPU (no NVIDIA driver for CUDA"
                    + " 12.8, or CUDA_VISIBLE_DEVICES hides them; 'nvidia-smi' must list the GPUs)";
        }
        return null;
    }

    /** Where libtorch came from, in words. */
    public String describeSource() {
        return source == Source.PYTORCH_LIBRARY_PATH ? "PYTORCH_LIBRARY_PATH=" + environment.get("PYTORCH_LIBRARY_PATH")
                : "the bundled pytorch-native-cpu jar";
    }

    /** The report {@code detcon doctor} prints: a few lines, then the verdict. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        if (loadError != null) {
            out.add("libtorch: failed to load from " + describeSource() + ": " + loadError);
        } else {
            out.add("libtorch: " + libtorchVersion + " (" + (cudaBuild ? "CUDA build" + (cuda ? ", CUDA available"
                    : ", CUDA not available") + (cudnn ? ", cuDNN" : "") : "CPU build")
                    + ") from " + describeSource() + (libtorchDir == null ? "" : ", loaded from " + libtorchDir));
        }
        if (environment.isEmpty()) {
            out.add("environment: none of " + String.join(", ", ENV) + " is set");
        } else {
            List<String> kv = new ArrayList<>();
            environment.forEach((k, v) -> kv.add(k + "=" + v));
            out.add("environment: " + String.join(" ", kv));
        }
        if (cudaBuild) {
            out.add("CUDA runtime: " + (cudaRuntime == null ? "unknown" : cudaRuntime) + "; devices: "
                    + (gpus.isEmpty() ? "none" : ""));
            for (Gpu g : gpus) {
                out.add(String.format(Locale.ROOT, "  gpu:%d  compute capability %s, %s", g.id(),
                        g.computeCapability(), g.memoryBytes() < 0 ? "memory unknown"
                                : String.format(Locale.ROOT, "%.1f GiB", g.memoryBytes() / (double) (1L << 30))));
            }
        }
        String no = whyNoGpu();
        out.add(no == null ? "GPU: usable (device auto picks " + gpus.size() + " GPU" + (gpus.size() == 1 ? "" : "s")
                + ")" : "GPU: not usable: " + no);
        return out;
    }
}
