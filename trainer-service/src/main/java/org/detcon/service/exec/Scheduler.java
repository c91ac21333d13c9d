package org.detcon.service.exec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleConsumer;
import org.detcon.core.store.FileTrees;
import org.detcon.service.jobs.Job;
import org.detcon.service.jobs.JobKinds;
import org.detcon.service.jobs.JobStatus;
import org.detcon.service.jobs.JobStore;
import org.detcon.trainer.run.ProgressLine;

/**
 * Gives waiting jobs slots (priority, then submission time; one job per slot) and runs each as a child JVM
 * ({@link JobMain}); its output goes to {@code STATE/jobs/ID/log}, its progress into the job table. At start,
 * {@link #recover()} kills any child recorded in the table that still runs, then re-queues its job as RECOVERING
 * with attempt + 1 (FAILED past {@code max_restarts}), so a job never has two writers.
 */
public final class Scheduler implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JobStore store;
    private final Path jobsDir;
    private final List<SlotPlan.Slot> slotList;
    private final Map<String, Long> busy = new LinkedHashMap<>();
    private final Map<Long, Process> children = new ConcurrentHashMap<>();
    private final DoubleConsumer stepSeconds;
    private final DoubleConsumer checkpointSeconds;
    private final Object lock = new Object();
    private final Thread dispatcher;
    private volatile boolean closed;

    /**
     * {@code stepSeconds} receives the seconds per step a job reports, {@code checkpointSeconds} how long each of its
     * checkpoints took (metrics histograms).
     */
    public Scheduler(JobStore store, Path stateDir, List<SlotPlan.Slot> slots, DoubleConsumer stepSeconds,
            DoubleConsumer checkpointSeconds) {
        this.store = store;
        this.jobsDir = stateDir.resolve("jobs");
        this.slotList = List.copyOf(slots);
        this.stepSeconds = stepSeconds;
        this.checkpointSeconds = checkpointSeconds;
        this.dispatcher = new Thread(this::dispatchLoop, "detcon-service-dispatch");
        this.dispatcher.setDaemon(true);
    }

    /** The folder of job {@code id}: {@code job.json}, {@code log}. */
    public Path jobDir(long id) {
        return jobsDir.resolve(Long.toString(id));
    }

    public Path logFile(long id) {
        return jobDir(id).resolve("log");
    }

    /** Kills the children a previous service left running and re-queues their jobs; returns the lines to log. */
    public List<String> recover() {
        List<String> notes = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (Job j : store.list(null, null)) {
            if (!j.status().holdsSlot() && j.pid() == 0) {
                continue;
            }
            if (j.pid() != 0) {
                Optional<ProcessHandle> h = ProcessHandle.of(j.pid());
                if (h.isPresent() && h.get().isAlive() && startedAt(h.get()) == j.pidStarted()) {
                    h.get().descendants().forEach(ProcessHandle::destroyForcibly);
                    h.get().destroyForcibly();
                    h.get().onExit().join();
                    notes.add("job " + j.id() + ": killed its child JVM (pid " + j.pid() + ") left by the last run");
                }
                store.exited(j.id());
            }
            if (j.status() == JobStatus.CANCELLING) {
                store.status(j.id(), JobStatus.CANCELLED, null, now);
                notes.add("job " + j.id() + ": CANCELLED (it was cancelling when the service stopped)");
            } else if (j.status().holdsSlot()) {
                if (j.attempt() <= j.maxRestarts()) {
                    store.requeue(j.id(), JobStatus.RECOVERING, j.attempt() + 1);
                    notes.add("job " + j.id() + ": RECOVERING, attempt " + (j.attempt() + 1)
                            + " resumes from its latest checkpoint");
                } else {
                    store.status(j.id(), JobStatus.FAILED, "the service stopped under it " + j.attempt()
                            + " times (max_restarts " + j.maxRestarts() + ")", now);
                    notes.add("job " + j.id() + ": FAILED, max_restarts " + j.maxRestarts() + " reached");
                }
            }
        }
        return notes;
    }

    private static long startedAt(ProcessHandle h) {
        return h.info().startInstant().map(Instant::toEpochMilli).orElse(-1L) / 1000;
    }

    public void start() {
        dispatcher.start();
    }

    /** Wakes the dispatcher (a job was queued). */
    public void wake() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /** Each slot → the job on it (null: free). */
    public Map<SlotPlan.Slot, Long> slots() {
        synchronized (lock) {
            Map<SlotPlan.Slot, Long> out = new LinkedHashMap<>();
            for (SlotPlan.Slot s : slotList) {
                out.put(s, busy.get(s.name()));
            }
            return out;
        }
    }

    public int busySlots() {
        synchronized (lock) {
            return busy.size();
        }
    }

    private void dispatchLoop() {
        while (!closed) {
            try {
                synchronized (lock) {
                    dispatch();
                    lock.wait(1000);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                System.out.println("dispatch: " + e.getMessage());
            }
        }
    }

    /** Under {@code lock}: the next waiting jobs onto the free slots. */
    private void dispatch() {
        if (closed) {
            return;
        }
        List<Job> queue = store.queue();
        int next = 0;
        for (SlotPlan.Slot slot : slotList) {
            if (busy.containsKey(slot.name())) {
                continue;
            }
            if (next >= queue.size()) {
                return;
            }
            Job j = queue.get(next++);
            busy.put(slot.name(), j.id());
            store.starting(j.id(), slot.name(), slot.device(), System.currentTimeMillis());
            try {
                launch(j, slot);
            } catch (IOException | RuntimeException e) {
                busy.remove(slot.name());
                store.exited(j.id());
                store.status(j.id(), JobStatus.FAILED, "could not start its JVM: " + e.getMessage(),
                        System.currentTimeMillis());
            }
        }
    }

    private void launch(Job j, SlotPlan.Slot slot) throws IOException {
        Path dir = jobDir(j.id());
        Files.createDirectories(dir);
        ObjectNode spec = JSON.createObjectNode();
        spec.put("kind", j.kind());
        spec.set("config", j.config());
        Path specFile = dir.resolve("job.json");
        Files.write(specFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(spec));
        ProcessBuilder pb = new ProcessBuilder(ChildCommand.of(specFile, slot.device())).redirectErrorStream(true);
        pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        Process p = pb.start();
        children.put(j.id(), p);
        store.running(j.id(), p.pid(), startedAt(p.toHandle()));
        System.out.println("job " + j.id() + " (" + j.kind() + ", attempt " + j.attempt() + ") started on "
                + slot.name() + ", pid " + p.pid());
        Thread t = new Thread(() -> monitor(j, slot, p), "detcon-job-" + j.id());
        t.setDaemon(true);
        t.start();
    }

    /** Copies the child's output into its log and its progress into the table; settles the job when it exits. */
    private void monitor(Job j, SlotPlan.Slot slot, Process p) {
        String lastError = null;
        String lastLine = null;
        long lastDone = -1;
        long lastAt = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter log = new PrintWriter(Files.newBufferedWriter(logFile(j.id()), StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND), true)) {
            log.println("== attempt " + j.attempt() + " on " + slot.name() + " (--device " + slot.device() + ") at "
                    + Instant.now() + ", pid " + p.pid());
            String line;
            while ((line = r.readLine()) != null) {
                Optional<ProgressLine> progress = ProgressLine.parse(line);
                if (progress.isPresent()) {
                    ProgressLine e = progress.get();
                    if (e.checkpoint()) {
                        checkpointSeconds.accept(e.checkpointSeconds());
                        continue;
                    }
                    long done = e.done();
                    long now = System.nanoTime();
                    if (lastDone >= 0 && done > lastDone) {
                        stepSeconds.accept((now - lastAt) / 1e9 / (done - lastDone));
                    }
                    lastDone = done;
                    lastAt = now;
                    store.progress(j.id(), done, e.total(), e.loss(), e.imgPerSec());
                    continue;
                }
                log.println(line);
                if (!line.isBlank()) {
                    lastLine = line;
                }
                if (line.startsWith(JobMain.ERROR)) {
                    lastError = line.substring(JobMain.ERROR.length());
                }
            }
            int code = p.waitFor();
            log.println("== exit status " + code + " at " + Instant.now());
            settle(j.id(), code, lastError != null ? lastError : lastLine);
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                p.destroyForcibly();
                settle(j.id(), -1, "the service lost its child: " + e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            children.remove(j.id(), p);
            synchronized (lock) {
                busy.remove(slot.name(), j.id());
                lock.notifyAll();
            }
        }
    }

    private void settle(long id, int code, String why) {
        if (closed) {
            return; // the service is stopping: the job stays RUNNING and is recovered at the next start
        }
        store.exited(id);
        long now = System.currentTimeMillis();
        Job j = store.get(id).orElseThrow();
        JobStatus s = code == 0 ? JobStatus.SUCCEEDED
                : code == JobMain.CANCELLED || j.status() == JobStatus.CANCELLING ? JobStatus.CANCELLED
                : JobStatus.FAILED;
        store.status(id, s, s == JobStatus.FAILED ? oneLine(why, code) : null, now);
        System.out.println("job " + id + " " + s + (s == JobStatus.FAILED ? ": " + oneLine(why, code) : ""));
        try {
            FileTrees.delete(jobDir(id).resolve(EvalRun.CACHE)); // what a stopped eval's JVM had staged
        } catch (IOException e) {
            System.out.println("job " + id + ": could not delete its staged copies: " + e.getMessage());
        }
    }

    private static String oneLine(String why, int code) {
        String s = why == null ? "exit status " + code : why;
        return s.length() > 500 ? s.substring(0, 500) : s;
    }

    /**
     * Cancels job {@code id}: a waiting job at once; a running pretraining at the first step boundary after its next
     * checkpoint; a running eval (which has no such boundary) by stopping its JVM. Idempotent.
     */
    public Job cancel(long id) {
        synchronized (lock) {
            Job j = store.get(id).orElseThrow();
            long now = System.currentTimeMillis();
            if (j.status().waiting()) {
                store.status(id, JobStatus.CANCELLED, null, now);
            } else if (j.status() == JobStatus.STARTING || j.status() == JobStatus.RUNNING) {
                store.status(id, JobStatus.CANCELLING, null, now);
                Process p = children.get(id);
                if (p != null) {
                    if (j.kind().equals(JobKinds.PRETRAIN)) {
                        try {
                            OutputStream in = p.getOutputStream();
                            in.write((JobMain.CANCEL + "\n").getBytes(StandardCharsets.UTF_8));
                            in.flush();
                        } catch (IOException e) {
                            p.destroyForcibly();
                        }
                    } else {
                        p.destroyForcibly();
                    }
                }
            }
            return store.get(id).orElseThrow();
        }
    }

    /** Puts a cancelled or failed job back in the queue (it resumes from its latest checkpoint); null if it is not. */
    public Job requeue(long id) {
        synchronized (lock) {
            Job j = store.get(id).orElseThrow();
            if (j.status() != JobStatus.CANCELLED && j.status() != JobStatus.FAILED) {
                return null;
            }
            store.requeue(id, JobStatus.QUEUED, j.attempt());
            lock.notifyAll();
            return store.get(id).orElseThrow();
        }
    }

    /** Stops dispatching and kills the children (their jobs stay RUNNING in the table and are recovered at start). */
    @Override
    public void close() {
        closed = true;
        dispatcher.interrupt();
        for (Process p : children.values()) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : children.values()) {
            p.onExit().completeOnTimeout(p, Duration.ofSeconds(10).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                    .join();
        }
    }
}
