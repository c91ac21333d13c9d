package org.detcon.segmentation.pipeline;

import java.util.function.Consumer;

/**
 * Passes {@link MaskProgress} on as text lines at most every {@code everyMillis} (and always the final one): for
 * logs and non-interactive output, where a line rewritten in place would not work.
 */
public final class MaskProgressLog implements Consumer<MaskProgress> {

    private final Consumer<String> sink;
    private final long everyMillis;
    private long last = Long.MIN_VALUE;

    public MaskProgressLog(Consumer<String> sink, long everyMillis) {
        this.sink = sink;
        this.everyMillis = everyMillis;
    }

    @Override
    public synchronized void accept(MaskProgress p) {
        long now = System.currentTimeMillis();
        if (p.finished() || last == Long.MIN_VALUE || now - last >= everyMillis) {
            last = now;
            sink.accept("masks: " + p.format());
        }
    }
}
