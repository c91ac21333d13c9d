package org.detcon.trainer.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.detcon.core.random.SeededShuffle;
import org.detcon.core.shard.DatasetManifest;
import org.detcon.core.shard.ShardInfo;
import org.detcon.core.shard.ShardReader;
import org.detcon.core.shard.ShardSample;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;

/**
 * Streams training batches from a shard dataset on any object store: reads {@code _manifest.json}, visits the
 * shards of each epoch in a seeded order, reads {@code interleave} of them at once (round robin) into a shuffle
 * buffer, decodes and augments the samples on {@code threads} threads and keeps {@code prefetch} batches ready.
 *
 * <p><b>Determinism.</b> One reader thread fixes the order of the samples of an epoch (shard order, interleaving and
 * buffer draws are seeded by (seed, epoch)); the views of the sample at position i of epoch e are a pure function
 * of (seed, e, i) ({@link BatchAssembler#makeForSample}); decoded samples are put back into reading order before
 * batching. So the batches depend on the seed only, never on thread timing. Batches run across epoch boundaries.
 *
 * <p><b>Faults.</b> A shard that is missing or unreadable, or whose tar is corrupt, is skipped from the fault on (the
 * samples read before it count) with a warning naming it; a sample whose image or masks cannot be decoded is
 * skipped with a warning naming the shard and the key. Both are counted ({@link #stats()}); neither stops the run.
 * Faults are a function of the bytes, so skipping keeps the order deterministic.
 *
 * <p><b>Resume.</b> Each batch carries the position after its last sample, (epoch, index of the next sample in the
 * epoch's order); a loader started at that position continues with the same batches.
 */
public final class ShardLoader implements BatchSource {

    private record Item(long epoch, long index, String shard, Future<Object> result) {
    }

    private final LoaderConfig config;
    private final BatchAssembler assembler;
    private final int batchSize;
    private final long seed;
    private final ObjectStore store;
    private final List<String> shards;
    private final ExampleDecoder decoder;
    private final Consumer<String> warn;
    private final ExecutorService pool;
    private final BlockingQueue<Item> ordered;
    private final BlockingQueue<Object> batches;
    private final Thread reader;
    private final Thread batcher;
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong badSamples = new AtomicLong();
    private final AtomicLong badShards = new AtomicLong();
    private final AtomicLong batchCount = new AtomicLong();
    private long waitNanos;
    private volatile boolean closed;

    /**
     * Opens the dataset (reads the manifest: a missing or bad manifest is an IOException here) and starts the
     * pipeline at {@code start}. {@code warn} receives one line per skipped sample or shard.
     */
    public ShardLoader(LoaderConfig config, BatchAssembler assembler, int batchSize, long seed, Position start,
            Consumer<String> warn) throws IOException {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1");
        }
        this.config = config;
        this.assembler = assembler;
        this.batchSize = batchSize;
        this.seed = seed;
        this.warn = warn;
        this.store = ObjectStores.open(config.uri());
        DatasetManifest manifest = DatasetManifest.read(store);
        this.shards = manifest.shards().stream().map(ShardInfo::name).toList();
        if (shards.isEmpty()) {
            throw new IOException("dataset " + config.uri() + " lists no shards");
        }
        this.decoder = new ExampleDecoder(config.maskSet(), config.gridFallback());
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "detcon-loader-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = Executors.newFixedThreadPool(config.threads(), tf);
        // in-flight decodes: enough lookahead to keep every thread busy; the prefetch depth is counted in batches
        this.ordered = new ArrayBlockingQueue<>(8 * config.threads());
        this.batches = new ArrayBlockingQueue<>(config.prefetch());
        this.reader = tf.newThread(() -> read(start));
        this.batcher = tf.newThread(this::batch);
        reader.start();
        batcher.start();
    }

    @Override
    public Batch next() throws IOException {
        long t0 = System.nanoTime();
        Object o;
        try {
            o = batches.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for data", e);
        } finally {
            waitNanos += System.nanoTime() - t0;
        }
        if (o instanceof Throwable t) {
            batches.offer(o); // every later call fails the same way
            throw new IOException("data loader failed: " + t.getMessage(), t);
        }
        return (Batch) o;
    }

    @Override
    public Stats stats() {
        return new Stats(samples.get(), badSamples.get(), badShards.get(), waitNanos, batchCount.get());
    }

    // ---- reader thread: fixes the order of the samples of each epoch and submits their decoding in that order

    private void read(Position start) {
        try {
            for (long epoch = start.epoch(); !closed; epoch++) {
                long count = readEpoch(epoch, epoch == start.epoch() ? start.index() : 0);
                if (count == 0) {
                    throw new IOException("epoch " + epoch + " of " + store.uri() + " has no readable samples");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            fail(t);
        }
    }

    private record Raw(String shard, ShardSample sample) {
    }

    private record Prepared(String key, BatchAssembler.Pair pair) {
    }

    /** Reads one epoch; returns the number of samples read (delivered or skipped for resume). */
    private long readEpoch(long epoch, long skip) throws InterruptedException {
        List<String> order = new ArrayList<>(shards);
        SeededShuffle.shuffle(order, new SplittableRandom(BatchAssembler.mix(seed, epoch, -2)));
        SplittableRandom draw = new SplittableRandom(BatchAssembler.mix(seed, epoch, -3));
        List<Raw> buffer = new ArrayList<>(config.shuffleBuffer());
        List<ShardReader> open = new ArrayList<>();
        int nextShard = 0;
        int turn = 0;
        long index = 0;
        try {
            while (!closed) {
                while (open.size() < config.interleave() && nextShard < order.size()) {
                    String name = order.get(nextShard++);
                    try {
                        open.add(ShardReader.open(store, name));
                    } catch (IOException | RuntimeException e) {
                        badShard(name, e);
                    }
                }
                if (open.isEmpty()) {
                    break;
                }
                turn %= open.size();
                ShardReader r = open.get(turn);
                ShardSample s = null;
                try {
                    if (r.hasNext()) {
                        s = r.next();
                    }
                } catch (RuntimeException e) {
                    badShard(r.shard(), e);
                }
                if (s == null) {
                    closeQuietly(r);
                    open.remove(turn);
                    continue; // the next reader takes this turn
                }
                turn++;
                buffer.add(new Raw(r.shard(), s));
                if (buffer.size() >= config.shuffleBuffer()) {
                    emit(epoch, index++, take(buffer, draw), skip);
                }
            }
            while (!buffer.isEmpty() && !closed) {
                emit(epoch, index++, take(buffer, draw), skip);
            }
        } finally {
            open.forEach(ShardLoader::closeQuietly);
        }
        return index;
    }

    private static Raw take(List<Raw> buffer, SplittableRandom draw) {
        int i = draw.nextInt(buffer.size());
        Raw r = buffer.get(i);
        buffer.set(i, buffer.get(buffer.size() - 1));
        buffer.remove(buffer.size() - 1);
        return r;
    }

    private void emit(long epoch, long index, Raw raw, long skip) throws InterruptedException {
        if (index < skip) {
            return; // before the resume position
        }
        Future<Object> f = pool.submit(() -> prepare(epoch, index, raw));
        ordered.put(new Item(epoch, index, raw.shard(), f));
    }

    private Object prepare(long epoch, long index, Raw raw) {
        try {
            Example e = decoder.decode(raw.sample());
            return new Prepared(raw.sample().key(), assembler.makeForSample(e, epoch, index));
        } catch (ExampleDecoder.BadSampleException e) {
            return e;
        } catch (RuntimeException e) {
            return new ExampleDecoder.BadSampleException("cannot prepare views: " + e, e);
        }
    }

    private void badShard(String name, Exception e) {
        badShards.incrementAndGet();
        warn.accept("skipping the rest of shard " + store.uri(name) + ": " + e.getMessage());
    }

    // ---- batcher thread: takes decoded samples in reading order, skips bad ones, groups them into batches

    private void batch() {
        try {
            List<BatchAssembler.Pair> pairs = new ArrayList<>(batchSize);
            List<String> keys = new ArrayList<>(batchSize);
            while (!closed) {
                Item item = ordered.take();
                Object r;
                try {
                    r = item.result().get();
                } catch (ExecutionException e) {
                    throw e.getCause();
                }
                if (r instanceof ExampleDecoder.BadSampleException bad) {
                    badSamples.incrementAndGet();
                    warn.accept("skipping a sample of shard " + store.uri(item.shard()) + ": " + bad.getMessage());
                    continue;
                }
                Prepared p = (Prepared) r;
                pairs.add(p.pair());
                keys.add(item.shard() + "/" + p.key());
                samples.incrementAndGet();
                if (pairs.size() == batchSize) {
                    batches.put(new Batch(List.copyOf(pairs), List.copyOf(keys),
                            new Position(item.epoch(), item.index() + 1)));
                    batchCount.incrementAndGet();
                    pairs.clear();
                    keys.clear();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            if (!closed) {
                batches.clear();
                batches.offer(t);
            }
        }
    }

    private void fail(Throwable t) {
        if (closed) {
            return;
        }
        // deliver after the samples already queued: a failed future at the end of the order
        Future<Object> f = java.util.concurrent.CompletableFuture.failedFuture(t);
        try {
            ordered.put(new Item(-1, -1, null, f));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(ShardReader r) {
        try {
            r.close();
        } catch (IOException ignored) {
            // nothing to do: the shard is done with
        }
    }

    @Override
    public void close() {
        closed = true;
        reader.interrupt();
        batcher.interrupt();
        pool.shutdownNow();
        try {
            reader.join(5000);
            batcher.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
