package org.detcon.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.detcon.trainer.engine.DeviceSpec;
import picocli.CommandLine.Option;

/**
 * {@code --device auto|cpu|gpu|gpu:0|gpu:0,1}, the option of every command that trains or evaluates (a picocli
 * mixin). For commands with a config it overrides the config's {@code device} field (as {@code --set device=...}
 * would); the device is not part of a config's identity, so it never changes which run an output holds.
 */
public final class DeviceOption {

    @Option(names = "--device", paramLabel = "DEVICE",
            description = "Where to compute: auto (the GPUs when the native PyTorch has CUDA, else the CPU), cpu,"
                    + " gpu, gpu:0 or gpu:0,1. Overrides the config's device (default: auto). Check a GPU host with"
                    + " 'detcon doctor'.")
    String device;

    /** The device asked for, or {@code fallback} when the option was not given. */
    public DeviceSpec spec(DeviceSpec fallback) {
        if (device == null) {
            return fallback;
        }
        try {
            return DeviceSpec.parse(device);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--device: " + e.getMessage());
        }
    }

    /** Sets {@code device} in a config tree when the option was given (checked first: a bad value is a usage error). */
    public void applyTo(ObjectNode tree) {
        if (device != null) {
            tree.put("device", spec(DeviceSpec.AUTO).toString());
        }
    }

    /** The option as a {@code --set} override ({@code device=VALUE}), or null when it was not given. */
    public String asOverride() {
        return device == null ? null : "device=" + spec(DeviceSpec.AUTO);
    }
}
