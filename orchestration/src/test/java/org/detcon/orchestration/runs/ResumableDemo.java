package org.detcon.orchestration.runs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * A run with one resumable step, for the resume test: the step produces items 0..N-1 one by one into
 * {@code OUT/items/} (skipping the ones already there, like a trainer resuming from checkpoints), appending each
 * piece of work done to {@code OUT/work.log}, pausing {@code delayMs} per item so a test can kill it mid-way.
 * Usage: {@code ResumableDemo WORKDIR N DELAY_MS}.
 */
public final class ResumableDemo {

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        long delay = Long.parseLong(args[2]);
        System.exit(run(work, n, delay));
    }

    static int run(Path work, int n, long delay) throws Exception {
        try (RunStore store = RunStore.openIn(work)) {
            long run = store.startRun("demo", "cfg", null);
            StepRunner r = new StepRunner(store, run, work, new java.io.PrintWriter(System.out, true));
            Path items = work.resolve("out/items");
            r.run(new Step() {
                public String name() {
                    return "produce";
                }

                public Map<String, String> inputs() {
                    return Map.of("n", Integer.toString(n));
                }

                public Outcome execute() throws Exception {
                    Files.createDirectories(items);
                    for (int i = 0; i < n; i++) {
                        Path f = items.resolve("item-" + i);
                        if (Files.exists(f)) {
                            continue;
                        }
                        Files.writeString(work.resolve("out/work.log"), i + "\n", StandardOpenOption.CREATE,
                                StandardOpenOption.APPEND);
                        Thread.sleep(delay);
                        Path tmp = items.resolve(".tmp-" + i);
                        Files.writeString(tmp, "item " + i);
                        Files.move(tmp, f);
                    }
                    return Outcome.local(Map.of("items", items), Map.of("count", (double) n));
                }
            });
            store.finishRun(run, "DONE");
        }
        return 0;
    }
}
