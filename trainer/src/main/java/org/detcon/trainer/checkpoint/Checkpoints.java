package org.detcon.trainer.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.detcon.trainer.train.PretrainConfig;
import org.detcon.trainer.train.Pretrainer;

/**
 * Training checkpoints on a local filesystem (DESIGN.md, data contracts): a directory per step,
 * {@code step-00001234/}, holding {@code online.npz}, {@code target.npz} (DetCon_B/BYOL) and {@code optimizer.npz}
 * (LARS momentum), all NumPy .npz archives of arrays named by DJL parameter path (readable with {@code numpy.load}) and {@code state.json} (step, epoch, data seed, config
 * hash, sha256 of every file). The directory is written under a temporary name and renamed into place, then the
 * file {@code latest} (holding the directory name) is replaced atomically, so a reader never sees a half-written
 * checkpoint. Loading verifies the hashes and the config hash.
 *
 * <p>Data randomness is a pure function of (seed, step, index) (see {@code BatchAssembler}), so seed and step are
 * the whole RNG state.
 */
public final class Checkpoints {

    public static final String LATEST = "latest";
    private static final ObjectMapper JSON = JsonMapper.builder()
            .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true).build();

    private Checkpoints() {
    }

    /** What state.json holds. */
    /**
     * {@code position}: where the data stream resumes within {@code epoch} (the shard loader's index of the next
     * sample in that epoch's order; 0 for in-memory data).
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

    /** Writes a checkpoint of {@code p} under {@code root} and points {@code latest} at it; returns its directory. */
    public static Path save(Path root, Pretrainer p, long epoch, long seed) throws IOException {
        return save(root, p, epoch, 0, seed);
    }

    /** As {@link #save(Path, Pretrainer, long, long)}, also recording the data position within the epoch. */
    public static Path save(Path root, Pretrainer p, long epoch, long position, long seed) throws IOException {
        Files.createDirectories(root);
        String name = String.format("step-%08d", p.stepCount());
        Path dir = root.resolve(name);
        Path tmp = root.resolve(".tmp-" + name + "-" + UUID.randomUUID());
        Files.createDirectories(tmp);
        try {
            Map<String, String> hashes = new LinkedHashMap<>();
            hashes.put("online.npz", writeBlock(tmp.resolve("online.npz"), p.online()));
            if (p.target() != null) {
                hashes.put("target.npz", writeBlock(tmp.resolve("target.npz"), p.target()));
            }
            hashes.put("optimizer.npz", writeMomentum(tmp.resolve("optimizer.npz"), p));
            State state = new State(p.stepCount(), epoch, seed, configHash(p.config()), p.config().method().name(),
                    hashes, position);
            writeDurably(tmp.resolve("state.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
            if (Files.exists(dir)) {
                deleteTree(dir); // an earlier, possibly different save of the same step
            }
            move(tmp, dir);
        } finally {
            if (Files.exists(tmp)) {
                deleteTree(tmp);
            }
        }
        Path latestTmp = root.resolve(".tmp-latest-" + UUID.randomUUID());
        writeDurably(latestTmp, (name + "\n").getBytes(StandardCharsets.UTF_8));
        move(latestTmp, root.resolve(LATEST));
        return dir;
    }

    /** The directory {@code latest} points at, if any. */
    public static Optional<Path> latest(Path root) throws IOException {
        Path l = root.resolve(LATEST);
        if (!Files.exists(l)) {
            return Optional.empty();
        }
        return Optional.of(root.resolve(Files.readString(l, StandardCharsets.UTF_8).trim()));
    }

    /** Reads and verifies state.json and the file hashes of a checkpoint directory. */
    public static State readState(Path dir) throws IOException {
        State s = JSON.readValue(dir.resolve("state.json").toFile(), State.class);
        for (Map.Entry<String, String> e : s.sha256().entrySet()) {
            String actual = sha256(Files.readAllBytes(dir.resolve(e.getKey())));
            if (!actual.equals(e.getValue())) {
                throw new IOException("checkpoint " + dir + ": " + e.getKey() + " is corrupt (sha256 " + actual
                        + ", expected " + e.getValue() + ")");
            }
        }
        return s;
    }

    /**
     * Restores {@code p} (built with the same config) from checkpoint {@code dir}: parameters, target, momentum
     * and step. Returns the state.
     */
    public static State restore(Path dir, Pretrainer p) throws IOException {
        State s = readState(dir);
        String hash = configHash(p.config());
        if (!hash.equals(s.configHash())) {
            throw new IOException("checkpoint " + dir + " was made with another config (" + s.configHash() + " vs "
                    + hash + ")");
        }
        NDManager m = p.online().getParameters().valueAt(0).getArray().getManager();
        readBlock(dir.resolve("online.npz"), p.online(), m);
        if (p.target() != null) {
            readBlock(dir.resolve("target.npz"), p.target(),
                    p.target().getParameters().valueAt(0).getArray().getManager());
        }
        Map<String, Parameter> byName = new LinkedHashMap<>();
        for (Pair<String, Parameter> e : p.online().getParameters()) {
            byName.put(e.getKey(), e.getValue());
        }
        try (NDManager scope = m.newSubManager();
             InputStream in = Files.newInputStream(dir.resolve("optimizer.npz"))) {
            NDList list = NDList.decode(scope, in.readAllBytes());
            list.attach(scope);
            for (NDArray a : list) {
                Parameter param = byName.get(a.getName());
                if (param == null) {
                    throw new IOException("checkpoint momentum for unknown parameter " + a.getName());
                }
                p.optimizer().restoreMomentum(param.getId(), a);
            }
        }
        p.restoreStepCount(s.step());
        return s;
    }

    private static String writeBlock(Path file, Block block) throws IOException {
        byte[] bytes = ParameterFiles.encode(block);
        writeDurably(file, bytes);
        return sha256(bytes);
    }

    private static void readBlock(Path file, Block block, NDManager manager) throws IOException {
        ParameterFiles.decodeInto(Files.readAllBytes(file), block, manager);
    }

    private static String writeMomentum(Path file, Pretrainer p) throws IOException {
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
        writeDurably(file, bytes);
        return sha256(bytes);
    }

    private static void writeDurably(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
        fsync(file);
    }

    private static void fsync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(q);
            }
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
