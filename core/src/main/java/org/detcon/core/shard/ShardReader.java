package org.detcon.core.shard;

import org.detcon.core.store.ObjectStore;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Streams the samples of one shard. Members are grouped into samples the way WebDataset does: consecutive members
 * sharing a key, the key being the member path up to the first dot of its basename. Each sample must hold
 * {@code KEY.json} and exactly the files it lists. Any fault (corrupt or truncated tar, a malformed sample, a key
 * seen twice) is raised from {@link #hasNext()} / {@link #next()} as a {@link ShardFormatException} naming the
 * shard and the member; the reader is unusable afterwards. Use {@link #forEach} to read many shards and skip
 * the bad ones.
 */
public final class ShardReader implements Iterator<ShardSample>, Closeable {

    /** Largest single member read (1 GiB): a corrupt size field must not exhaust memory. */
    public static final long DEFAULT_MAX_ENTRY = 1L << 30;

    private final InputStream in;
    private final String shard;
    private final TarReader tar;
    private final Set<String> seenKeys = new HashSet<>();
    private TarReader.Entry pending;
    private ShardSample nextSample;
    private boolean finished;
    private ShardFormatException failure;
    private long samplesRead;

    /** Reads a tar stream; {@code shardName} is used in errors. The stream is closed by {@link #close()}. */
    public ShardReader(InputStream in, String shardName) {
        this(in, shardName, DEFAULT_MAX_ENTRY);
    }

    public ShardReader(InputStream in, String shardName, long maxEntryBytes) {
        this.in = in;
        this.shard = shardName;
        this.tar = new TarReader(in, shardName, maxEntryBytes);
    }

    public static ShardReader open(ObjectStore store, String shardName) throws IOException {
        return new ShardReader(store.openRead(shardName), shardName);
    }

    public String shard() {
        return shard;
    }

    /** Samples returned so far. */
    public long samplesRead() {
        return samplesRead;
    }

    @Override
    public boolean hasNext() {
        if (failure != null) {
            throw failure;
        }
        if (nextSample == null && !finished) {
            try {
                nextSample = readSample();
            } catch (ShardFormatException e) {
                failure = e;
                throw e;
            } catch (IOException e) {
                failure = new ShardFormatException(shard, null, tar.position(), e.getMessage(), e);
                throw failure;
            }
            if (nextSample == null) {
                finished = true;
            }
        }
        return nextSample != null;
    }

    @Override
    public ShardSample next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more samples in shard " + shard);
        }
        ShardSample s = nextSample;
        nextSample = null;
        samplesRead++;
        return s;
    }

    private ShardSample readSample() throws IOException {
        TarReader.Entry first = pending != null ? pending : tar.next();
        pending = null;
        if (first == null) {
            return null;
        }
        String[] ke = splitKey(first);
        String key = ke[0];
        if (!seenKeys.add(key)) {
            throw new ShardFormatException(shard, first.name(), first.offset(), "key " + key
                    + " appears again after other samples (members of a sample must be consecutive)", null);
        }
        TreeMap<String, TarReader.Entry> files = new TreeMap<>();
        files.put(ke[1], first);
        while (true) {
            TarReader.Entry e = tar.next();
            if (e == null) {
                break;
            }
            String[] k = splitKey(e);
            if (!k[0].equals(key)) {
                pending = e;
                break;
            }
            if (files.put(k[1], e) != null) {
                throw new ShardFormatException(shard, e.name(), e.offset(), "duplicate member in sample " + key, null);
            }
        }
        return assemble(key, files);
    }

    /** {key, extension} of a member, WebDataset style. */
    private String[] splitKey(TarReader.Entry e) {
        String name = e.name().startsWith("./") ? e.name().substring(2) : e.name();
        int slash = name.lastIndexOf('/');
        int dot = name.indexOf('.', slash + 1);
        if (dot <= slash + 1 || dot == name.length() - 1) {
            throw new ShardFormatException(shard, e.name(), e.offset(),
                    "member name has no KEY.EXTENSION form (WebDataset would drop it)", null);
        }
        String key = name.substring(0, dot);
        if (!ShardKeys.isValidKey(key)) {
            throw new ShardFormatException(shard, e.name(), e.offset(), "invalid sample key '" + key
                    + "' (keys are 1-" + ShardKeys.MAX_KEY_LENGTH + " characters of [A-Za-z0-9_-])", null);
        }
        return new String[]{key, name.substring(dot + 1)};
    }

    private ShardSample assemble(String key, TreeMap<String, TarReader.Entry> files) {
        TarReader.Entry json = files.get("json");
        TarReader.Entry any = files.firstEntry().getValue();
        if (json == null) {
            throw new ShardFormatException(shard, any.name(), any.offset(), "sample " + key + " has no " + key
                    + ".json (members: " + files.keySet() + ")", null);
        }
        SampleMetadata meta;
        try {
            meta = SampleMetadata.fromBytes(json.data(), key + ".json");
        } catch (IOException e) {
            throw new ShardFormatException(shard, json.name(), json.offset(), e.getMessage(), e);
        }
        Map<String, String> expected = new TreeMap<>(); // extension -> what it is
        expected.put("json", "metadata");
        expected.put(meta.imageFormat(), "image");
        for (Map.Entry<String, MaskSetInfo> m : meta.masks().entrySet()) {
            expected.put(m.getKey() + "." + m.getValue().format().extension(), m.getKey());
        }
        for (String ext : expected.keySet()) {
            if (!files.containsKey(ext)) {
                throw new ShardFormatException(shard, json.name(), json.offset(), "sample " + key + " lacks " + key
                        + "." + ext + ", which its metadata lists", null);
            }
        }
        for (Map.Entry<String, TarReader.Entry> f : files.entrySet()) {
            if (!expected.containsKey(f.getKey())) {
                throw new ShardFormatException(shard, f.getValue().name(), f.getValue().offset(), "member not listed"
                        + " in " + key + ".json (expected only " + expected.keySet() + ")", null);
            }
        }
        TreeMap<String, byte[]> masks = new TreeMap<>();
        for (Map.Entry<String, MaskSetInfo> m : meta.masks().entrySet()) {
            masks.put(m.getKey(), files.get(m.getKey() + "." + m.getValue().format().extension()).data());
        }
        try {
            return new ShardSample(key, meta, files.get(meta.imageFormat()).data(), masks);
        } catch (IllegalArgumentException e) {
            throw new ShardFormatException(shard, json.name(), json.offset(), e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** What {@link #forEach} does with a shard it cannot read. */
    public enum OnCorrupt {
        /** Rethrow the first {@link ShardFormatException} (or IOException). */
        FAIL,
        /** Record it in the summary and go on with the next shard. */
        SKIP_SHARD
    }

    /** A shard {@link #forEach} skipped, with how many of its samples had been delivered before the fault. */
    public record SkippedShard(String shard, long samplesDelivered, ShardFormatException error) {
    }

    /** What {@link #forEach} read: shards fully read, samples delivered (skipped shards' included), skipped shards. */
    public record ReadSummary(long shardsRead, long samples, List<SkippedShard> skipped) {
        public ReadSummary {
            skipped = List.copyOf(skipped);
        }
    }

    /**
     * Streams every sample of the given shards, in order, to {@code sink}. With {@link OnCorrupt#SKIP_SHARD}, a shard
     * that is missing, unreadable, corrupt or truncated is recorded and skipped; samples it yielded before the fault
     * have already reached {@code sink} (the summary says how many). Exceptions thrown by {@code sink} propagate.
     */
    public static ReadSummary forEach(ObjectStore store, List<String> shards, OnCorrupt onCorrupt,
                                      Consumer<ShardSample> sink) throws IOException {
        long read = 0;
        long samples = 0;
        List<SkippedShard> skipped = new ArrayList<>();
        for (String name : shards) {
            long before = samples;
            try (ShardReader r = open(store, name)) {
                while (r.hasNext()) {
                    sink.accept(r.next());
                    samples++;
                }
                read++;
            } catch (ShardFormatException e) {
                if (onCorrupt == OnCorrupt.FAIL) {
                    throw e;
                }
                skipped.add(new SkippedShard(name, samples - before, e));
            } catch (IOException e) {
                if (onCorrupt == OnCorrupt.FAIL) {
                    throw e;
                }
                skipped.add(new SkippedShard(name, samples - before,
                        new ShardFormatException(name, null, -1, "cannot read: " + e, e)));
            }
        }
        return new ReadSummary(read, samples, skipped);
    }
}
