package org.detcon.eval.registry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.detcon.eval.probe.ProbeJob;

/** The registered evaluations, by name. A new evaluation job registers here to become usable in sweeps. */
public final class EvalJobs {

    private static final Map<String, EvalJob> JOBS = new LinkedHashMap<>();

    static {
        for (EvalJob j : List.<EvalJob>of(new ProbeJob())) {
            JOBS.put(j.name(), j);
        }
    }

    private EvalJobs() {
    }

    /** The job called {@code name}; an unknown name is an {@link IllegalArgumentException} listing the known ones. */
    public static EvalJob get(String name) {
        EvalJob j = JOBS.get(name);
        if (j == null) {
            throw new IllegalArgumentException("unknown eval '" + name + "' (known: " + String.join(", ", names())
                    + ")");
        }
        return j;
    }

    public static Set<String> names() {
        return JOBS.keySet();
    }
}
