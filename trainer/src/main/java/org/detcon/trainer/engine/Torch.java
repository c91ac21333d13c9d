package org.detcon.trainer.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The one entry point to the PyTorch engine. It forces DJL's offline mode before the engine is first touched: the
 * native libtorch is extracted from the {@code pytorch-native-cpu} jar on the classpath and the JNI library from
 * {@code pytorch-jni}; with {@code ai.djl.offline=true} every HTTP(S) URL DJL would open fails fast instead of
 * downloading, and with {@code OPT_OUT_TRACKING=true} DJL skips its EC2-metadata/telemetry probe.
 *
 * <p>Thread counts: {@code ai.djl.pytorch.num_threads} / {@code ai.djl.pytorch.num_interop_threads} (system
 * properties) are honoured by DJL when set before the engine loads; {@link #configure(int)} sets them.
 *
 * <p>Autograd: PyTorch's grad mode is per thread, and DJL turns it off only on the thread that loads the engine;
 * on any other thread in-place updates of parameters fail ("a leaf Variable that requires grad is being used in
 * an in-place operation") and inference records graphs. {@link #engine()} turns it off on the calling thread, so
 * training and inference behave the same on every thread (DJL's gradient collector turns it on for a step).
 */
public final class Torch {

    private static final String CUDA_PROBE_LOG = "org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils";

    private Torch() {
    }

    /**
     * Sets the offline properties (keeping any explicit value of the thread counts) and returns the engine, with
     * autograd off on the calling thread.
     */
    public static synchronized Engine engine() {
        configure(0);
        Engine e = Engine.getEngine("PyTorch");
        JniUtils.setGradMode(false);
        return e;
    }

    /**
     * Sets the offline/no-telemetry properties; {@code threads > 0} also sets the intra-op thread count (and one
     * inter-op thread) unless given explicitly. Has an effect only before the engine is first loaded.
     */
    public static synchronized void configure(int threads) {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        System.setProperty("ai.djl.default_engine", "PyTorch");
        // DJL's CUDA probe (CudaUtils, run when the engine loads) warns "Failed to detect GPU count" on every CPU
        // host that has a CUDA runtime but no driver; NativeCheck reports the GPUs instead. Effective with the
        // slf4j-simple backend the CLI, tests and benchmarks use, when set before the probe's logger exists.
        if (System.getProperty(CUDA_PROBE_LOG) == null) {
            System.setProperty(CUDA_PROBE_LOG, "error");
        }
        if (System.getProperty("ai.djl.pytorch.graph_optimizer") == null) {
            System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
        }
        if (threads > 0) {
            if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
                System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            }
            if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
                System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
            }
        }
    }

    /**
     * A new root-level manager on the CPU (named explicitly: DJL's default device is the first GPU when libtorch has
     * CUDA). Close it.
     */
    public static NDManager newManager() {
        return newManager(Device.cpu());
    }

    /** A new root-level manager on {@code device} (arrays it creates live there). Close it. */
    public static NDManager newManager(Device device) {
        return engine().newBaseManager(device);
    }

    /**
     * {@code value} as a 0-d array of {@code like}'s type on {@code like}'s manager, for arithmetic whose backward
     * pass reads the scalar ({@code x.mul(scalar(x, 0.5))}, {@code div}, {@code maximum}, ...).
     *
     * <p><b>Why</b>: DJL's {@code NDArray.mul(Number)} (and {@code div}, {@code maximum}, ...) wraps the number in a
     * CPU tensor over a direct buffer (no copy) and closes it as soon as the op returns. Autograd keeps that tensor for
     * the backward pass, and once the closed array's buffer is garbage-collected its memory is reused: gradients then
     * read garbage (seen as huge or NaN gradients under allocation pressure). The array made here stays open until its
     * manager closes (the step's scope), after the backward pass.
     */
    public static NDArray scalar(NDArray like, double value) {
        return like.getManager().create(value).toType(like.getDataType(), false);
    }
}
