package org.detcon.orchestration.runs;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * A process using a run store, for the two-process tests: {@code chain} runs steps s0..s3 (each 300 ms of work,
 * recorded in a shared log as START/END lines with this process's id); {@code hold} starts step "held" and works on
 * it for a minute (to be killed). Usage: {@code LeaseDemo STORE|- WORKDIR LOG chain|hold}.
 */
public final class LeaseDemo {

    public static void main(String[] args) throws Exception {
        String store = args[0].equals("-") ? null : args[0];
        Path work = Path.of(args[1]);
        Path log = Path.of(args[2]);
        String mode = args[3];
        long pid = ProcessHandle.current().pid();
        try (RunStore s = RunStore.open(work, store)) {
            long run = s.startRun("demo", mode, null);
            StepRunner r = new StepRunner(s, run, work, new PrintWriter(System.out, true));
            int n = mode.equals("chain") ? 4 : 1;
            for (int i = 0; i < n; i++) {
                String name = mode.equals("chain") ? "s" + i : "held";
                long work1 = mode.equals("chain") ? 300 : 60_000;
                r.run(new Step() {
                    public String name() {
                        return name;
                    }

                    public Map<String, String> inputs() {
                        return Map.of("mode", mode);
                    }

                    public Outcome execute() throws Exception {
                        append(log, "START " + name + " " + pid);
                        Thread.sleep(work1);
                        Path out = work.resolve(name + ".txt");
                        Files.writeString(out, name);
                        append(log, "END " + name + " " + pid);
                        return Outcome.local(Map.of("out", out), Map.of());
                    }
                });
            }
            s.finishRun(run, "DONE");
        }
    }

    static synchronized void append(Path log, String line) throws java.io.IOException {
        Files.writeString(log, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
