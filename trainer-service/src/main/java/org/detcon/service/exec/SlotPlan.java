package org.detcon.service.exec;

import ai.djl.Device;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.detcon.trainer.engine.DeviceSpec;
import org.detcon.trainer.engine.Devices;
import org.detcon.trainer.engine.NativeCheck;

/**
 * A service's slots from {@code --devices} and {@code --slots}, decided by the trainer's own device resolution
 * ({@link Devices#resolve}, from what the loaded libtorch offers: {@link NativeCheck}): {@code cpu} is the CPU;
 * {@code auto} the GPUs when libtorch has CUDA and sees some, else the CPU; {@code gpu} every GPU; {@code gpu:0,1}
 * those. Each device gets {@code perDevice} slots (one job each): on GPUs {@code gpu:0}, {@code gpu:1}, ... (with
 * more than one per device {@code gpu:0/0}, {@code gpu:0/1}, ...), on the CPU {@code cpu:0}, {@code cpu:1}, ...
 * A job's child JVM runs with {@code --device} of its slot. A GPU asked for and not usable is a
 * {@link org.detcon.trainer.engine.DeviceException} with one line saying what to install or set.
 *
 * @param slots   the slots in the order they are filled
 * @param devices the devices as {@code GET /v1/info} lists them
 * @param line    one line for the operator: where the slots are and why ({@code auto: ...})
 */
public record SlotPlan(List<Slot> slots, List<DeviceInfo> devices, String line) {

    /** A slot: its name and the {@code --device} its jobs run with ({@code cpu}, {@code gpu:1}). */
    public record Slot(String name, String device) {
    }

    /**
     * A device of the service.
     *
     * @param memoryBytes       the GPU's memory, or the host's physical memory for the CPU (-1: unknown)
     * @param cores             the CPU's cores (0 for a GPU)
     * @param computeCapability a GPU's compute capability, e.g. {@code 90} (null for the CPU; {@code ?}: unknown)
     */
    public record DeviceInfo(String name, long memoryBytes, int cores, String computeCapability) {
    }

    public SlotPlan {
        slots = List.copyOf(slots);
        devices = List.copyOf(devices);
    }

    /** The plan on this host: {@code cpu} needs no native library; the others load libtorch to see its GPUs. */
    public static SlotPlan of(DeviceSpec spec, int perDevice) {
        if (spec.isCpu()) {
            return cpu(checked(perDevice), "asked for");
        }
        return of(spec, perDevice, NativeCheck.run());
    }

    /** The plan on a host whose libtorch is {@code lib} (a pure function of its arguments). */
    public static SlotPlan of(DeviceSpec spec, int perDevice, NativeCheck lib) {
        checked(perDevice);
        Devices.Resolved r = Devices.resolve(spec, lib);
        if (r.cpu()) {
            return cpu(perDevice, r.reason());
        }
        List<Slot> slots = new ArrayList<>();
        List<DeviceInfo> infos = new ArrayList<>();
        for (Device d : r.devices()) {
            String name = "gpu:" + d.getDeviceId();
            NativeCheck.Gpu g = lib.gpus().stream().filter(x -> x.id() == d.getDeviceId()).findFirst().orElse(null);
            infos.add(new DeviceInfo(name, g == null ? -1 : g.memoryBytes(), 0, g == null ? "?"
                    : g.computeCapability()));
            for (int k = 0; k < perDevice; k++) {
                slots.add(new Slot(perDevice == 1 ? name : name + "/" + k, name));
            }
        }
        return new SlotPlan(slots, infos, describe(slots, r.names(), r.line()));
    }

    private static int checked(int perDevice) {
        if (perDevice < 1) {
            throw new IllegalArgumentException("--slots must be at least 1, got " + perDevice);
        }
        return perDevice;
    }

    private static SlotPlan cpu(int perDevice, String reason) {
        List<Slot> slots = new ArrayList<>();
        for (int i = 0; i < perDevice; i++) {
            slots.add(new Slot("cpu:" + i, "cpu"));
        }
        long memory = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean
                os ? os.getTotalMemorySize() : -1;
        DeviceInfo info = new DeviceInfo("cpu", memory, Runtime.getRuntime().availableProcessors(), null);
        return new SlotPlan(slots, List.of(info), describe(slots, "cpu", "device: cpu (" + reason + ")"));
    }

    private static String describe(List<Slot> slots, String names, String deviceLine) {
        return slots.size() + " slot" + (slots.size() == 1 ? "" : "s") + " on " + names + "; " + deviceLine;
    }
}
