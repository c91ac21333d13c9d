package org.detcon.trainer.engine;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a {@link DeviceSpec} into the DJL devices a run computes on, from what the loaded libtorch offers
 * ({@link NativeCheck}): {@code auto} is every GPU when libtorch has CUDA and sees some, else the CPU; {@code gpu}
 * and {@code gpu:N,...} fail with one line (what to install or set) when no such GPU is usable.
 */
public final class Devices {

    private Devices() {
    }

    /** The devices and why they were picked (the line a run prints at start). */
    public record Resolved(List<Device> devices, String reason) {

        public Resolved {
            devices = List.copyOf(devices);
        }

        /** The first device: where a single-device run computes. */
        public Device primary() {
            return devices.get(0);
        }

        /** Whether the run computes on the CPU. */
        public boolean cpu() {
            return !primary().isGpu();
        }

        /** The devices as a device value names them ({@code cpu}, {@code gpu:0,1}): what run.json records. */
        public String names() {
            return cpu() ? "cpu" : "gpu:" + String.join(",", devices.stream()
                    .map(d -> String.valueOf(d.getDeviceId())).toList());
        }

        /** One line for operators: {@code device: gpu:0 (auto: libtorch 2.7.1 with CUDA sees 1 GPU)}. */
        public String line() {
            return "device: " + names() + " (" + reason + ")";
        }
    }

    /** Resolves {@code spec} against this process's libtorch (loading it). */
    public static Resolved resolve(DeviceSpec spec) {
        if (spec.isCpu()) {
            return new Resolved(List.of(Device.cpu()), "asked for");
        }
        return resolve(spec, NativeCheck.run());
    }

    /**
     * Resolves {@code spec} against {@code lib}.
     *
     * @throws DeviceException when a GPU was asked for and none (or not the listed one) is usable
     */
    public static Resolved resolve(DeviceSpec spec, NativeCheck lib) {
        switch (spec.kind()) {
            case CPU:
                return new Resolved(List.of(Device.cpu()), "asked for");
            case AUTO:
                if (lib.gpuUsable()) {
                    return new Resolved(gpus(lib.gpus().stream().map(NativeCheck.Gpu::id).toList()),
                            "auto: libtorch " + lib.libtorchVersion() + " with CUDA sees " + count(lib.gpus().size()));
                }
                if (lib.loadError() != null) {
                    throw new DeviceException("auto: " + lib.whyNoGpu());
                }
                return new Resolved(List.of(Device.cpu()), "auto: libtorch " + lib.libtorchVersion() + (lib.cudaBuild()
                        ? " is a CUDA build but sees no GPU" : " is a CPU build"));
            case GPU:
            default:
                if (!lib.gpuUsable()) {
                    throw new DeviceException(spec + ": " + lib.whyNoGpu());
                }
                int n = lib.gpus().size();
                if (spec.gpus().isEmpty()) {
                    return new Resolved(gpus(lib.gpus().stream().map(NativeCheck.Gpu::id).toList()),
                            "asked for every GPU: " + count(n));
                }
                for (int id : spec.gpus()) {
                    if (id >= n) {
                        throw new DeviceException(spec + ": there is no gpu:" + id + "; libtorch sees "
                                + count(n) + " (gpu:0" + (n > 1 ? "..gpu:" + (n - 1) : "") + ")");
                    }
                }
                return new Resolved(gpus(spec.gpus()), "asked for");
        }
    }

    private static List<Device> gpus(List<Integer> ids) {
        List<Device> out = new ArrayList<>();
        for (int id : ids) {
            out.add(Device.gpu(id));
        }
        return out;
    }

    private static String count(int n) {
        return n + " GPU" + (n == 1 ? "" : "s");
    }
}
