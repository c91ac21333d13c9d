package org.detcon.segmentation.fh;

/**
 * Optional per-phase timing sink for {@link Felzenszwalb}. Accumulates over calls; not thread-safe (use one per
 * thread).
 */
public final class FhProfile {
    long blurNanos;
    long edgesNanos;
    long sortNanos;
    long mergeNanos;
    long labelNanos;
    int calls;
    int introsortCalls;
    int radixCalls;
    int tieFallbacks;

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

    public void reset() {
        blurNanos = edgesNanos = sortNanos = mergeNanos = labelNanos = 0;
        calls = introsortCalls = radixCalls = tieFallbacks = 0;
    }

    @Override
    public String toString() {
        return String.format("blur %.2f ms, edges %.2f ms, sort %.2f ms, merge %.2f ms, label %.2f ms"
                        + " (calls %d, introsort %d, radix %d, tie fallbacks %d)",
                blurNanos / 1e6, edgesNanos / 1e6, sortNanos / 1e6, mergeNanos / 1e6, labelNanos / 1e6,
                calls, introsortCalls, radixCalls, tieFallbacks);
    }
}
