package org.detcon.trainer.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a run computes, as a config's {@code device} or a command's {@code --device} names it: {@code auto} (the
 * GPUs when the loaded libtorch has CUDA and sees some, else the CPU), {@code cpu}, {@code gpu} (every CUDA device),
 * {@code gpu:0} or {@code gpu:0,1} (those devices); {@code cuda} is read as {@code gpu}. {@link Devices#resolve}
 * turns it into DJL devices. The device changes speed, not results beyond floating-point noise, so it is not part of
 * a config's identity.
 *
 * @param kind what was asked for
 * @param gpus for {@link Kind#GPU}: the listed device ids, ascending and distinct (empty: every CUDA device)
 */
public record DeviceSpec(Kind kind, List<Integer> gpus) {

    /** What a device value asks for. */
    public enum Kind { AUTO, CPU, GPU }

    public static final DeviceSpec AUTO = new DeviceSpec(Kind.AUTO, List.of());
    public static final DeviceSpec CPU = new DeviceSpec(Kind.CPU, List.of());

    /** The accepted forms, for messages. */
    public static final String FORMS = "auto, cpu, gpu, gpu:0 or gpu:0,1";

    public DeviceSpec {
        gpus = List.copyOf(gpus);
        if (kind != Kind.GPU && !gpus.isEmpty()) {
            throw new IllegalArgumentException(kind + " takes no device ids");
        }
    }

    /**
     * Parses a device value (case-insensitive, blanks around it ignored).
     *
     * @throws IllegalArgumentException with one line naming the bad value and the accepted forms
     */
    public static DeviceSpec parse(String text) {
        String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "auto":
                return AUTO;
            case "cpu":
                return CPU;
            case "gpu":
            case "cuda":
                return new DeviceSpec(Kind.GPU, List.of());
            default:
                break;
        }
        int colon = s.indexOf(':');
        String head = colon < 0 ? s : s.substring(0, colon);
        if (colon < 0 || !(head.equals("gpu") || head.equals("cuda"))) {
            throw bad(text, "");
        }
        List<Integer> ids = new ArrayList<>();
        for (String part : s.substring(colon + 1).split(",", -1)) {
            int id;
            try {
                id = Integer.parseInt(part.trim());
            } catch (NumberFormatException e) {
                throw bad(text, " ('" + part.trim() + "' is not a device number)");
            }
            if (id < 0) {
                throw bad(text, " (device numbers start at 0)");
            }
            if (!ids.isEmpty() && id <= ids.get(ids.size() - 1)) {
                throw bad(text, " (list each device once, in ascending order)");
            }
            ids.add(id);
        }
        return new DeviceSpec(Kind.GPU, ids);
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("'" + text + "' is not a device" + why + "; use " + FORMS);
    }

    /** Whether this names the CPU explicitly (precision checks that need no engine). */
    public boolean isCpu() {
        return kind == Kind.CPU;
    }

    /** The canonical text ({@code auto}, {@code cpu}, {@code gpu}, {@code gpu:0,1}): what parse reads back. */
    @Override
    public String toString() {
        return switch (kind) {
            case AUTO -> "auto";
            case CPU -> "cpu";
            case GPU -> gpus.isEmpty() ? "gpu" : "gpu:" + String.join(",", gpus.stream().map(String::valueOf)
                    .toList());
        };
    }
}
