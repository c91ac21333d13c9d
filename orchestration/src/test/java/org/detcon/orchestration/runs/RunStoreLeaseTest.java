package org.detcon.orchestration.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Step leases on both kinds of store (H2 in the working directory, PostgreSQL): exclusive, kept alive by the
 * heartbeat, taken over only after the owner stopped; two processes running the same steps never run one twice at
 * once; a step whose owner was killed with kill -9 is taken over when its lease expires.
 */
class RunStoreLeaseTest {

    static final double LEASE = 1.0;

    @TempDir
    Path work;

    @BeforeEach
    void shortLeases() {
        System.setProperty("detcon.lease.seconds", Double.toString(LEASE));
    }

    @AfterEach
    void defaultLeases() {
        System.clearProperty("detcon.lease.seconds");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void leasesAreExclusiveKeptAliveAndFreedOnRelease(String kind) throws Exception {
        String url = PgTestStores.url(kind);
        try (RunStore a = RunStore.open(work, url); RunStore b = RunStore.open(work, url)) {
            assertTrue(a.tryClaim("k"));
            assertTrue(a.tryClaim("k"), "its own lease again");
            assertFalse(b.tryClaim("k"));
            assertEquals(a.owner(), b.lease("k").orElseThrow().owner());
            Thread.sleep((long) (2.5 * LEASE * 1000)); // longer than a lease: a's heartbeat renews it
            assertFalse(b.tryClaim("k"), "a live owner keeps its lease");
            assertTrue(b.lease("k").orElseThrow().secondsLeft() > 0);
            a.release("k");
            assertTrue(b.tryClaim("k"));
            assertTrue(b.lease("k").isPresent());
        }
    }

    /** Several processes opening one new store at the same moment all get it (the tables are made once). */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void storesOpenedAtTheSameMomentAllOpen(String kind) throws Exception {
        String url = PgTestStores.url(kind);
        int n = 6;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(n);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            List<java.util.concurrent.Future<String>> opened = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                opened.add(pool.submit(() -> {
                    start.await();
                    try (RunStore s = RunStore.open(work, url)) {
                        return s.owner();
                    }
                }));
            }
            for (java.util.concurrent.Future<String> f : opened) {
                assertFalse(f.get(60, TimeUnit.SECONDS).isEmpty());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private final List<Path> outputs = new ArrayList<>();

    private Process demo(String url, Path log, String mode) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path out = work.resolve(mode + "-" + outputs.size() + ".out");
        outputs.add(out);
        return new ProcessBuilder(java, "-Ddetcon.lease.seconds=" + LEASE, "-cp",
                System.getProperty("java.class.path"), LeaseDemo.class.getName(), url == null ? "-" : url,
                work.toString(), log.toString(), mode).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    private String outputs() throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        for (Path p : outputs) {
            sb.append("\n== ").append(p.getFileName()).append('\n').append(Files.readString(p));
        }
        return sb.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void twoProcessesNeverRunTheSameStepAtOnceAndAKilledOwnerIsTakenOver(String kind) throws Exception {
        String url = PgTestStores.url(kind);
        Path log = work.resolve("steps.log");
        Process p1 = demo(url, log, "chain");
        Process p2 = demo(url, log, "chain");
        assertTrue(p1.waitFor(120, TimeUnit.SECONDS) && p2.waitFor(120, TimeUnit.SECONDS), "demos finished");
        assertEquals(0, p1.exitValue(), outputs());
        assertEquals(0, p2.exitValue(), outputs());
        List<String> lines = Files.readAllLines(log);
        Map<String, Integer> starts = new HashMap<>();
        List<String> open = new ArrayList<>();
        for (String l : lines) {
            String[] f = l.split(" ");
            if (f[0].equals("START")) {
                starts.merge(f[1], 1, Integer::sum);
                assertFalse(open.contains(f[1]), "step " + f[1] + " started while running: " + lines);
                open.add(f[1]);
            } else {
                open.remove(f[1]);
            }
        }
        assertEquals(Map.of("s0", 1, "s1", 1, "s2", 1, "s3", 1), starts, "each step run once: " + lines);

        // a step whose owner is killed is taken over once its lease expires, and the dead attempt is INTERRUPTED
        Path held = work.resolve("held.log");
        Process owner = demo(url, held, "hold");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(held)) {
            assertTrue(owner.isAlive() && System.nanoTime() < deadline, "the owner started the step");
            Thread.sleep(20);
        }
        owner.destroyForcibly(); // kill -9: no release, no heartbeat any more
        owner.waitFor(30, TimeUnit.SECONDS);
        try (RunStore s = RunStore.open(work, url)) {
            String key = StepRunner.key("held", Map.of("mode", "hold"));
            long t0 = System.nanoTime();
            boolean stillLeased = s.lease(key).isPresent(); // reopening an H2 file its dead host held can take longer
            Step step = new Step() {
                public String name() {
                    return "held";
                }

                public Map<String, String> inputs() {
                    return Map.of("mode", "hold");
                }

                public Outcome execute() throws Exception {
                    Path out = work.resolve("held.txt");
                    Files.writeString(out, "taken over");
                    return Outcome.local(Map.of("out", out), Map.of());
                }
            };
            long run = s.startRun("demo", "takeover", null);
            StepRunner r = new StepRunner(s, run, work, new java.io.PrintWriter(System.out, true));
            if (stillLeased) {
                assertFalse(r.tryBegin(step).isPresent(), "not before the lease expired");
            }
            StepRunner.Result res = r.run(step); // waits for the expiry, then takes the step over
            double waited = (System.nanoTime() - t0) / 1e9;
            assertFalse(res.reused());
            assertTrue(waited < 5 * LEASE, "taken over within about one lease length, waited " + waited + " s");
            List<RunStore.StepRecord> h = s.history(key);
            assertEquals(List.of("INTERRUPTED", "DONE"), h.stream().map(RunStore.StepRecord::status).toList());
            assertEquals(2, h.get(1).attempt());
            s.finishRun(run, "DONE");
            s.expireDead();
            assertEquals("INTERRUPTED", s.runs().stream().filter(x -> x.configHash().equals("hold")).findFirst()
                    .orElseThrow().status());
        }
    }
}
