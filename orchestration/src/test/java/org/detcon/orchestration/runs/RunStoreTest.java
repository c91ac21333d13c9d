package org.detcon.orchestration.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.detcon.cli.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStoreTest {

    @TempDir
    Path work;

    final AtomicInteger aRuns = new AtomicInteger();
    final AtomicInteger bRuns = new AtomicInteger();

    Step writer(String name, String input, Path out, String content, AtomicInteger counter) {
        return new Step() {
            public String name() {
                return name;
            }

            public Map<String, String> inputs() {
                return Map.of("in", input);
            }

            public Outcome execute() throws Exception {
                counter.incrementAndGet();
                Files.createDirectories(out.getParent());
                Files.writeString(out, content);
                return Outcome.local(Map.of("out", out), Map.of("len", (double) content.length()));
            }
        };
    }

    /** A two-step chain: b's input is a's output hash (content addressing). */
    String chain(String aInput, ByteArrayOutputStream log) throws Exception {
        try (RunStore s = RunStore.openIn(work)) {
            long run = s.startRun("test", "h", null);
            StepRunner r = new StepRunner(s, run, work, new PrintWriter(new java.io.OutputStreamWriter(log, StandardCharsets.UTF_8), true));
            StepRunner.Result a = r.run(writer("a", aInput, work.resolve("a.txt"), "A:" + aInput, aRuns));
            StepRunner.Result b = r.run(writer("b", a.hash("out"), work.resolve("b.txt"), "B", bRuns));
            s.finishRun(run, "DONE");
            return b.hash("out");
        }
    }

    @Test
    void unchangedInputsAndVerifiedOutputsAreReused() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        chain("x", log);
        assertEquals(1, aRuns.get());
        assertEquals(1, bRuns.get());
        chain("x", log);
        assertEquals(1, aRuns.get(), "a reused");
        assertEquals(1, bRuns.get(), "b reused");
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("reused a"));
        // an output changed on disk: a reruns (and restores the same content), b still reused
        Files.writeString(work.resolve("a.txt"), "tampered");
        chain("x", log);
        assertEquals(2, aRuns.get());
        assertEquals(1, bRuns.get());
        // an input changed: both run
        chain("y", log);
        assertEquals(3, aRuns.get());
        assertEquals(2, bRuns.get());
        try (RunStore s = RunStore.openIn(work)) {
            List<RunStore.Run> runs = s.runs();
            assertEquals(4, runs.size());
            assertTrue(runs.stream().allMatch(r -> r.status().equals("DONE")));
            List<RunStore.StepRecord> second = s.steps(runs.get(1).id());
            assertEquals(List.of("REUSED", "REUSED"), second.stream().map(RunStore.StepRecord::status).toList());
            assertEquals(1.0 * "A:x".length(), second.get(0).metrics().get("len"));
        }
        CliRunner list = CliRunner.run("runs", "list", "--workdir", work.toString());
        assertEquals(0, list.exitCode(), list.err());
        assertTrue(list.out().contains("0/2/0/0"), list.out());
        CliRunner show = CliRunner.run("runs", "show", "2", "--workdir", work.toString());
        assertEquals(0, show.exitCode(), show.err());
        assertTrue(show.out().contains("REUSED") && show.out().contains("a.txt"), show.out());
        assertEquals(2, CliRunner.run("runs", "show", "99", "--workdir", work.toString()).exitCode());
    }

    @Test
    void aFailedStepIsRecordedAndRetried() throws Exception {
        try (RunStore s = RunStore.openIn(work)) {
            long run = s.startRun("test", "h", null);
            StepRunner r = new StepRunner(s, run, work, new PrintWriter(System.out, true));
            Step failing = new Step() {
                public String name() {
                    return "boom";
                }

                public Map<String, String> inputs() {
                    return Map.of();
                }

                public Outcome execute() {
                    throw new IllegalStateException("mid-way");
                }
            };
            assertThrows(IllegalStateException.class, () -> r.run(failing));
            s.finishRun(run, "FAILED");
            long run2 = s.startRun("test", "h", null);
            StepRunner.Result ok = new StepRunner(s, run2, work, new PrintWriter(System.out, true)).run(
                    writer("boom", "", work.resolve("c.txt"), "c", aRuns));
            assertFalse(ok.reused());
            RunStore.StepRecord first = s.steps(run).get(0);
            assertEquals("FAILED", first.status());
            assertTrue(first.error().contains("mid-way"));
        }
    }

    @Test
    void killedRunContinuesWhereItStopped() throws Exception {
        System.setProperty("detcon.lease.seconds", "1");
        try {
            killedRunContinues();
        } finally {
            System.clearProperty("detcon.lease.seconds");
        }
    }

    private void killedRunContinues() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Ddetcon.lease.seconds=1", "-cp", System.getProperty("java.class.path"),
                ResumableDemo.class.getName(), work.toString(), "8", "150").redirectErrorStream(true)
                .redirectOutput(work.resolve("child.log").toFile()).start();
        Path items = work.resolve("out/items");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(items.resolve("item-2")))) {
            assertTrue(p.isAlive(), "child ended early: " + Files.readString(work.resolve("child.log")));
            assertTrue(System.nanoTime() < deadline, "child too slow");
            Thread.sleep(20);
        }
        p.destroyForcibly(); // SIGKILL: no shutdown hooks, the step row stays RUNNING
        p.waitFor(30, TimeUnit.SECONDS);
        assertFalse(Files.exists(items.resolve("item-7")));
        List<String> before = Files.readAllLines(work.resolve("out/work.log"));

        assertEquals(0, ResumableDemo.run(work, 8, 0));
        List<String> all = Files.readAllLines(work.resolve("out/work.log"));
        for (int i = 0; i < 8; i++) {
            assertTrue(Files.exists(items.resolve("item-" + i)));
        }
        // items done before the kill were not redone: each item worked on at most once, plus the interrupted one
        List<String> after = all.subList(before.size(), all.size());
        assertTrue(after.size() <= 8 - 2, "resumed work " + after);
        assertEquals(String.valueOf(8 - 1), after.get(after.size() - 1));
        try (RunStore s = RunStore.openIn(work)) {
            List<RunStore.Run> runs = s.runs();
            assertEquals("INTERRUPTED", runs.get(0).status());
            assertEquals("INTERRUPTED", s.steps(runs.get(0).id()).get(0).status());
            RunStore.StepRecord resumed = s.steps(runs.get(1).id()).get(0);
            assertEquals("DONE", resumed.status());
            assertEquals(2, resumed.attempt());
        }
        // a third run reuses everything
        assertEquals(0, ResumableDemo.run(work, 8, 0));
        try (RunStore s = RunStore.openIn(work)) {
            assertEquals("REUSED", s.steps(s.runs().get(2).id()).get(0).status());
        }
    }
}
