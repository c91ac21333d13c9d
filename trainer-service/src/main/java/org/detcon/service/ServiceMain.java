package org.detcon.service;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -cp ... org.detcon.service.ServiceMain STATE_DIR PORT SLOTS}: a loopback service in the foreground
 * without the CLI (what the restart test kills); {@code detcon service start} is the operator's way.
 */
public final class ServiceMain {

    private ServiceMain() {
    }

    public static void main(String[] args) throws Exception {
        ServiceOptions o = ServiceOptions.defaults(Path.of(args[0])).withPort(Integer.parseInt(args[1]))
                .withSlots(Integer.parseInt(args[2]));
        runForeground(o);
    }

    /** Starts a service and serves until this JVM is stopped (Ctrl-C closes it: its children are killed). */
    public static void runForeground(ServiceOptions o) throws Exception {
        TrainerService s = TrainerService.start(o);
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping: running jobs are recovered at the next start");
            s.close();
            done.countDown();
        }, "detcon-service-stop"));
        done.await();
    }
}
