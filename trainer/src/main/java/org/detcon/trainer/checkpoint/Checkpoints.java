package org.detcon.trainer.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.detcon.core.store.FileTrees;
import org.detcon.core.store.LocalObjectStore;
import org.detcon.core.store.ObjectStore;
import org.detcon.trainer.train.PretrainConfig;
import org.detcon.trainer.train.Pretrainer;

/**
 * Training checkpoints in an object store (DESIGN.md, data contracts), a local directory or an {@code s3://} prefix
 * alike: a "directory" per step, {@code step-00001234/}, holding {@code online.npz}, {@code target.npz}
 * (DetCon_B/BYOL) and {@code optimizer.npz} (LARS momentum), all NumPy .npz archives of arrays named by DJL
 * parameter path (readable with {@code numpy.load}), and {@code state.json} (step, epoch, data seed, config hash,
 * sha256 of every file).
 *
 * <p>Commit protocol (object stores have no directory rename): every object is published atomically by the store;
 * {@code state.json} is written after the files it hashes, and only then is the object {@code latest} (holding the
 * step's name) replaced. Readers start from {@code latest}, so they never see a half-written checkpoint; a save
 * that died midway leaves a step without (or with a stale) {@code state.json} that {@code latest} does not name,
 * and the next save of that step replaces it. Loading verifies the hashes and the config hash.
 *
 * <p>Data randomness is a pure function of (seed, step, index) (see {@code BatchAssembler}), so seed and step are
 * the whole RNG state.
 */
public final class Checkpoints {

    public static final String LATEST = "latest";
    public static final String STATE = "state.json";
    private static final Pattern STEP_DIR = Pattern.compile("step-\\d+");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true).build();

    private Checkpoints() {
    }

    /**
     * What state.json holds. {@code position}: where the data stream resumes within {@code epoch} (the shard
     * loader's index of the next sample in that epoch's order; 0 for in-memory data).
     */
    public record State(long step, long epoch, long seed, String configHash, String method,
            Map<String, String> sha256, long position) {
    }

    /** sha256 of the canonical JSON of a config (records serialised with sorted keys). */
    public static String configHash(PretrainConfig config) {
        try {
            return sha256(JSON.writeValueAsBytes(config));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes a checkpoint of {@code p} into {@code store}, recording the data position within the epoch, and
     * points {@code latest} at it; returns the step's name ({@code step-NNNNNNNN}).
     */
    public static String save(ObjectStore store, Pretrainer p, long epoch, long position, long seed)
            throws IOException {
        String name = String.format("step-%08d", p.stepCount());
        delete(store, name); // an earlier, possibly partial or different save of the same step
        Map<String, String> hashes = new LinkedHashMap<>();
        hashes.put("online.npz", put(store, name + "/online.npz", ParameterFiles.encode(p.online())));
        if (p.target() != null) {
            hashes.put("target.npz", put(store, name + "/target.npz", ParameterFiles.encode(p.target())));
        }
        hashes.put("optimizer.npz", put(store, name + "/optimizer.npz", momentum(p)));
        State state = new State(p.stepCount(), epoch, seed, configHash(p.config()), p.config().method().name(),
                hashes, position);
        store.write(name + "/" + STATE, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
        store.write(LATEST, (name + "\n").getBytes(StandardCharsets.UTF_8));
        return name;
    }

    /** The step {@code latest} names, if any. */
    public static Optional<String> latest(ObjectStore store) throws IOException {
        if (!store.exists(LATEST)) {
            return Optional.empty();
        }
        String name = new String(store.readAllBytes(LATEST), StandardCharsets.UTF_8).trim();
        if (!STEP_DIR.matcher(name).matches()) {
            throw new IOException(store.uri(LATEST) + " names '" + name + "', not a step-NNNNNNNN checkpoint;"
                    + " the output is damaged: point it at an existing step or remove it to start over");
        }
        return Optional.of(name);
    }

    /** The names of all step "directories" holding at least one object, oldest first. */
    public static List<String> steps(ObjectStore store) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        for (String key : store.list("step-")) {
            int slash = key.indexOf('/');
            if (slash > 0 && STEP_DIR.matcher(key.substring(0, slash)).matches()) {
                names.add(key.substring(0, slash));
            }
        }
        return new ArrayList<>(names);
    }

    /** Deletes every object of step {@code name} (and, on a local store, its emptied directory). */
    public static void delete(ObjectStore store, String name) throws IOException {
        for (String key : store.list(name + "/")) {
            store.delete(key);
        }
        if (store instanceof LocalObjectStore local) {
            Path dir = local.path(name);
            if (Files.isDirectory(dir)) {
                FileTrees.delete(dir); // only temporaries of a dead writer can be left
            }
        }
    }

    /**
     * Keeps the checkpoint {@code latest} names and the {@code keep} − 1 newest before it; deletes every other step,
     * including any after {@code latest} (a save that died midway). Without {@code latest} it deletes nothing.
     */
    public static void prune(ObjectStore store, int keep) throws IOException {
        Optional<String> latest = latest(store);
        if (latest.isEmpty()) {
            return;
        }
        List<String> older = new ArrayList<>();
        for (String step : steps(store)) {
            if (step.compareTo(latest.get()) < 0) {
                older.add(step);
            } else if (!step.equals(latest.get())) {
                delete(store, step);
            }
        }
        for (int i = 0; i < older.size() - Math.max(0, keep - 1); i++) {
            delete(store, older.get(i));
        }
    }

    /** Reads and verifies the state.json and the file hashes of checkpoint {@code name}. */
    public static State readState(ObjectStore store, String name) throws IOException {
        return read(store, name).state();
    }

    /** A checkpoint's state and the contents of the files it lists, each read once and checked against its sha256. */
    private record Verified(State state, Map<String, byte[]> files) {
    }

    private static Verified read(ObjectStore store, String name) throws IOException {
        if (!store.exists(name + "/" + STATE)) {
            throw new IOException("checkpoint " + store.uri(name) + " has no " + STATE + " (it was never completed)");
        }
        State s = JSON.readValue(store.readAllBytes(name + "/" + STATE), State.class);
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : s.sha256().entrySet()) {
            String key = name + "/" + e.getKey();
            byte[] bytes = store.exists(key) ? store.readAllBytes(key) : null;
            String actual = bytes == null ? "(missing)" : sha256(bytes);
            if (!actual.equals(e.getValue())) {
                throw new IOException("checkpoint " + store.uri(name) + ": " + e.getKey() + " is corrupt (sha256 "
                        + actual + ", expected " + e.getValue() + ")");
            }
            files.put(e.getKey(), bytes);
        }
        return new Verified(s, files);
    }

    /**
     * Restores {@code p} (built with the same config) from checkpoint {@code name}: parameters, target, momentum
     * and step. Returns the state.
     */
    public static State restore(ObjectStore store, String name, Pretrainer p) throws IOException {
        Verified v = read(store, name);
        State s = v.state();
        String where = store.uri(name);
        String hash = configHash(p.config());
        if (!hash.equals(s.configHash())) {
            throw new IOException("checkpoint " + where + " was made with another config (" + s.configHash()
                    + " vs " + hash + ")");
        }
        NDManager m = p.online().getParameters().valueAt(0).getArray().getManager();
        ParameterFiles.decodeInto(file(v, where, "online.npz"), p.online(), m);
        if (p.target() != null) {
            ParameterFiles.decodeInto(file(v, where, "target.npz"), p.target(),
                    p.target().getParameters().valueAt(0).getArray().getManager());
        }
        Map<String, Parameter> byName = new LinkedHashMap<>();
        for (Pair<String, Parameter> e : p.online().getParameters()) {
            byName.put(e.getKey(), e.getValue());
        }
        try (NDManager scope = m.newSubManager()) {
            NDList list = NDList.decode(scope, file(v, where, "optimizer.npz"));
            list.attach(scope);
            for (NDArray a : list) {
                Parameter param = byName.get(a.getName());
                if (param == null) {
                    throw new IOException("checkpoint " + where + ": momentum for unknown parameter " + a.getName());
                }
                p.optimizer().restoreMomentum(param.getId(), a);
            }
        }
        p.restoreStepCount(s.step());
        return s;
    }

    private static byte[] file(Verified v, String where, String file) throws IOException {
        byte[] bytes = v.files().get(file);
        if (bytes == null) {
            throw new IOException("checkpoint " + where + " lists no " + file + " in its " + STATE
                    + "; it was written for another method");
        }
        return bytes;
    }

    private static String put(ObjectStore store, String key, byte[] bytes) throws IOException {
        store.write(key, bytes);
        return sha256(bytes);
    }

    private static byte[] momentum(Pretrainer p) throws IOException {
        NDList list = new NDList();
        for (Pair<String, Parameter> e : p.online().getParameters()) {
            NDArray mu = p.optimizer().momentumState(e.getValue().getId(),
                    e.getValue().getArray().getDevice());
            if (mu != null) {
                NDArray named = mu.duplicate();
                named.setName(e.getKey());
                list.add(named);
            }
        }
        byte[] bytes = ParameterFiles.encodeNpz(list);
        list.close();
        return bytes;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
