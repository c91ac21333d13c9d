package org.detcon.service;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.detcon.service.exec.Scheduler;
import org.detcon.service.exec.SlotPlan;
import org.detcon.service.http.Api;
import org.detcon.service.http.ServiceMetrics;
import org.detcon.service.jobs.JobStore;
import org.detcon.service.security.Tokens;

/**
 * A trainer service: the job table under {@code --state-dir}, the slots' {@link Scheduler} and the HTTP {@link Api}
 * on the JDK's HTTP server. {@link #start} recovers what a previous service left (killing its children, re-queuing
 * their jobs), then serves; {@link #close} stops serving and kills the children (their jobs are recovered at the
 * next start). {@code detcon service start} runs one in the foreground.
 */
public final class TrainerService implements AutoCloseable {

    private final ServiceOptions options;
    private final JobStore store;
    private final Scheduler scheduler;
    private final HttpServer server;
    private final ExecutorService pool;

    private TrainerService(ServiceOptions options, JobStore store, Scheduler scheduler, HttpServer server,
            ExecutorService pool) {
        this.options = options;
        this.store = store;
        this.scheduler = scheduler;
        this.server = server;
        this.pool = pool;
    }

    /**
     * Starts a service; lines for the operator go to standard output (never the token). A GPU asked for by
     * {@code --devices} that this host cannot use is a {@link org.detcon.trainer.engine.DeviceException} (one line:
     * what to install or set), before anything is opened.
     */
    public static TrainerService start(ServiceOptions o) throws IOException {
        SlotPlan plan = SlotPlan.of(o.devices(), o.slots()); // a GPU asked for and not usable fails here, first
        Files.createDirectories(o.stateDir());
        Tokens tokens = Tokens.forService(o.stateDir(), o.bind());
        JobStore store = JobStore.open(o.stateDir());
        try {
            ServiceMetrics[] metrics = new ServiceMetrics[1];
            Scheduler scheduler = new Scheduler(store, o.stateDir(), plan.slots(),
                    s -> metrics[0].observeStepSeconds(s), s -> metrics[0].observeCheckpointSeconds(s));
            metrics[0] = new ServiceMetrics(store, plan.slots().size(), scheduler::busySlots);
            scheduler.recover().forEach(System.out::println);
            HttpServer server = HttpServer.create(new InetSocketAddress(o.bind(), o.port()), 64);
            ExecutorService pool = Executors.newFixedThreadPool(16, r -> {
                Thread t = new Thread(r, "detcon-service-http");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(pool);
            server.createContext("/", new Api(store, scheduler, tokens, metrics[0], o.maxBodyBytes(), plan,
                    version()));
            server.start();
            scheduler.start();
            TrainerService s = new TrainerService(o, store, scheduler, server, pool);
            System.out.println("detcon trainer service on " + s.url() + ": " + plan.line() + "; state "
                    + o.stateDir().toAbsolutePath() + " (token: " + o.stateDir()
                    .resolve(Tokens.FILE).toAbsolutePath() + ")");
            return s;
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private static String version() {
        String v = TrainerService.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    /** {@code http://HOST:PORT} as bound (the real port when 0 was asked for). */
    public String url() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    public ServiceOptions options() {
        return options;
    }

    @Override
    public void close() {
        server.stop(0);
        scheduler.close();
        pool.shutdownNow();
        store.close();
    }
}
