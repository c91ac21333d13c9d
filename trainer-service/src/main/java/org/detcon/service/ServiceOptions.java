package org.detcon.service;

import java.nio.file.Path;
import org.detcon.trainer.engine.DeviceSpec;

/**
 * How a trainer service runs: its state folder (job table, token, job folders), where it listens, its slots.
 *
 * @param stateDir     the job table ({@code jobs.mv.db}), {@code token} and {@code jobs/ID/} live here
 * @param bind         the address to listen on (loopback by default; any other needs an existing token file)
 * @param port         the TCP port (0: any free one)
 * @param devices      where jobs run: {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:0,1}
 *                     ({@link org.detcon.service.exec.SlotPlan})
 * @param slots        jobs at once per device (one per slot): on the CPU the number of CPU slots, on GPUs the jobs
 *                     sharing each GPU (default 1)
 * @param maxBodyBytes the largest request body accepted
 */
public record ServiceOptions(Path stateDir, String bind, int port, DeviceSpec devices, int slots, int maxBodyBytes) {

    public static final int DEFAULT_PORT = 8470;
    public static final int DEFAULT_MAX_BODY = 1 << 20;

    public ServiceOptions {
        if (slots < 1) {
            throw new IllegalArgumentException("--slots must be at least 1, got " + slots);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be in 0..65535, got " + port);
        }
        if (devices == null) {
            throw new IllegalArgumentException("--devices is required (" + DeviceSpec.FORMS + ")");
        }
    }

    /** Loopback on the default port, one CPU slot. */
    public static ServiceOptions defaults(Path stateDir) {
        return new ServiceOptions(stateDir, "127.0.0.1", DEFAULT_PORT, DeviceSpec.CPU, 1, DEFAULT_MAX_BODY);
    }

    public ServiceOptions withPort(int p) {
        return new ServiceOptions(stateDir, bind, p, devices, slots, maxBodyBytes);
    }

    public ServiceOptions withSlots(int n) {
        return new ServiceOptions(stateDir, bind, port, devices, n, maxBodyBytes);
    }

    public ServiceOptions withDevices(DeviceSpec d) {
        return new ServiceOptions(stateDir, bind, port, d, slots, maxBodyBytes);
    }
}
