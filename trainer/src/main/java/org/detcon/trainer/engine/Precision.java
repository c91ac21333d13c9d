package org.detcon.trainer.engine;

import ai.djl.Device;
import java.util.List;
import java.util.Locale;

/**
 * The arithmetic a run trains in (config key {@code precision}; part of the config's identity, since it changes the
 * numbers). What DJL 0.36 can do decides the modes:
 * <ul>
 *   <li>{@code fp32} (the default): float32 weights, activations and loss. On a GPU this is PyTorch's default
 *       float32 math: cuDNN may run convolutions in TF32 on Ampere and newer GPUs
 *       ({@code torch.backends.cudnn.allow_tf32} defaults to true), matrix products stay IEEE float32
 *       ({@code allow_tf32} for cuBLAS defaults to false). Set {@code NVIDIA_TF32_OVERRIDE=0} in the environment for
 *       strict float32 convolutions too.</li>
 *   <li>{@code tf32} (CUDA devices only): as fp32, and the matrix products (projector/predictor MLPs, the DetCon
 *       logits) in TF32 as well. DJL 0.36 has no call for PyTorch's {@code allow_tf32}; libtorch reads
 *       {@code TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1} from the environment instead, so that variable must be set
 *       (checked at start).</li>
 *   <li>{@code bf16}, {@code fp16}: reduced-precision weights and activations with float32 master weights and loss.
 *       Rejected with one line: on a CPU creating a BFLOAT16 array aborts the JVM, and DJL 0.36 has no autocast
 *       (its blocks compute in their parameters' type), so mixed precision is not available on any device yet.</li>
 * </ul>
 */
public enum Precision {
    FP32, TF32, BF16, FP16;

    /** The environment variable libtorch reads to run float32 matrix products in TF32 (cuBLAS). */
    public static final String TF32_MATMUL_ENV = "TORCH_ALLOW_TF32_CUBLAS_OVERRIDE";

    /** The config's name: {@code fp32}, {@code tf32}, {@code bf16}, {@code fp16}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads a config value (case-insensitive).
     *
     * @throws IllegalArgumentException naming the bad value and the accepted ones
     */
    public static Precision parse(String text) {
        String s = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
        for (Precision p : values()) {
            if (p.name().equals(s)) {
                return p;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a precision; use fp32, tf32, bf16 or fp16");
    }

    /**
     * Checks that this precision can run on {@code devices} in an environment whose {@value #TF32_MATMUL_ENV} is
     * {@code tf32Env} (null when unset); returns null when it can, else the one-line reason.
     */
    public String problemOn(List<Device> devices, String tf32Env) {
        boolean cpu = devices.stream().anyMatch(d -> !d.isGpu());
        boolean tf32Matmul = "1".equals(tf32Env == null ? null : tf32Env.trim());
        return switch (this) {
            case FP32 -> !cpu && tf32Matmul ? TF32_MATMUL_ENV + "=1 is set, so matrix products would run in TF32;"
                    + " unset it or use precision: tf32" : null;
            case TF32 -> cpu ? "tf32 runs on CUDA devices only (the device is the CPU); use fp32"
                    : tf32Matmul ? null : "tf32 needs " + TF32_MATMUL_ENV + "=1 in the environment (DJL 0.36 cannot"
                            + " switch PyTorch's allow_tf32); set it or use fp32";
            case BF16, FP16 -> cpu ? key() + " cannot train on the CPU (" + (this == BF16
                    ? "creating a bfloat16 array aborts the JVM there" : "half precision is a GPU format")
                    + "); use fp32" : key() + " needs mixed precision (float32 master weights), which DJL 0.36 lacks"
                    + " (no autocast); use tf32 or fp32";
        };
    }
}
