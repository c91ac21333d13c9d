package org.detcon.segmentation.fh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Optional per-phase timing sink for {@link Felzenszwalb}. Accumulates over calls; not thread-safe (use one per
 * thread). By default phases are timed by wall clock; {@link #cpuTime()} makes a profile that uses the calling
 * thread's CPU time instead, which is steadier on a busy machine.
 */
public final class FhProfile {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final boolean cpu;

    public FhProfile() {
        this(false);
    }

    private FhProfile(boolean cpu) {
        this.cpu = cpu;
    }

    /** A profile timing phases by the current thread's CPU time (falls back to wall time if unsupported). */
    public static FhProfile cpuTime() {
        return new FhProfile(THREADS.isCurrentThreadCpuTimeSupported());
    }

    long now() {
        return cpu ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    long blurNanos;
    long edgesNanos;
    long sortNanos;
    long mergeNanos;
    long labelNanos;
    int calls;
    int introsortCalls;
    int radixCalls;
    int tieFallbacks;
    int tiesProvedIrrelevant;

    public long blurNanos() { return blurNanos; }
    public long edgesNanos() { return edgesNanos; }
    public long sortNanos() { return sortNanos; }
    public long mergeNanos() { return mergeNanos; }
    public long labelNanos() { return labelNanos; }
    public long totalNanos() { return blurNanos + edgesNanos + sortNanos + mergeNanos + labelNanos; }
    public int calls() { return calls; }
    /** Calls whose edge order came from the exact introsort (including tie fallbacks). */
    public int introsortCalls() { return introsortCalls; }
    /** Calls whose edge order came from the radix sort. */
    public int radixCalls() { return radixCalls; }
    /** EXACT-mode calls where the radix order had non-zero ties and the introsort was run instead. */
    public int tieFallbacks() { return tieFallbacks; }
    /** EXACT-mode calls with equal non-zero costs where every tie group was proved order-independent. */
    public int tiesProvedIrrelevant() { return tiesProvedIrrelevant; }

    public void reset() {
        blurNanos = edgesNanos = sortNanos = mergeNanos = labelNanos = 0;
        calls = introsortCalls = radixCalls = tieFallbacks = tiesProvedIrrelevant = 0;
    }

    @Override
    public String toString() {
        return String.format("blur %.2f ms, edges %.2f ms, sort %.2f ms, merge %.2f ms, label %.2f ms"
                        + " (calls %d, introsort %d, radix %d, tie fallbacks %d, ties proved irrelevant %d)",
                blurNanos / 1e6, edgesNanos / 1e6, sortNanos / 1e6, mergeNanos / 1e6, labelNanos / 1e6,
                calls, introsortCalls, radixCalls, tieFallbacks, tiesProvedIrrelevant);
    }
}
