package org.detcon.service;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How a trainer service runs: its state folder (job table, token, job folders), where it listens, its slots.
 *
 * @param stateDir     the job table ({@code jobs.mv.db}), {@code token} and {@code jobs/ID/} live here
 * @param bind         the address to listen on (loopback by default; any other needs an existing token file)
 * @param port         the TCP port (0: any free one)
 * @param devices      {@code cpu} (the only kind built so far)
 * @param slots        how many jobs run at once (one per slot)
 * @param maxBodyBytes the largest request body accepted
 */
public record ServiceOptions(Path stateDir, String bind, int port, String devices, int slots, int maxBodyBytes) {

    public static final int DEFAULT_PORT = 8470;
    public static final int DEFAULT_MAX_BODY = 1 << 20;

    public ServiceOptions {
        if (slots < 1) {
            throw new IllegalArgumentException("--slots must be at least 1, got " + slots);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be in 0..65535, got " + port);
        }
        if (!devices.equals("cpu") && !devices.equals("auto")) {
            throw new IllegalArgumentException("--devices " + devices + ": only cpu (or auto, which is cpu here) is"
                    + " supported so far; GPU slots are not built yet");
        }
    }

    /** Loopback on the default port, one CPU slot. */
    public static ServiceOptions defaults(Path stateDir) {
        return new ServiceOptions(stateDir, "127.0.0.1", DEFAULT_PORT, "cpu", 1, DEFAULT_MAX_BODY);
    }

    public ServiceOptions withPort(int p) {
        return new ServiceOptions(stateDir, bind, p, devices, slots, maxBodyBytes);
    }

    public ServiceOptions withSlots(int n) {
        return new ServiceOptions(stateDir, bind, port, devices, n, maxBodyBytes);
    }

    /** The slot names: {@code cpu:0}, {@code cpu:1}, ... */
    public List<String> slotNames() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            out.add("cpu:" + i);
        }
        return out;
    }
}
