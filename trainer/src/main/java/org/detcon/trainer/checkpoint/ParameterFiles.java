package org.detcon.trainer.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.detcon.trainer.optim.MomentumOptimizer;

/**
 * A block's parameters (running statistics included) as a NumPy .npz archive, one array per parameter named by its
 * DJL path (e.g. {@code backbone_05SequentialBlock_01ParallelBlock_..._weight}).
 *
 * <p>Restoring copies values <b>into</b> the existing arrays. DJL's own {@code Block.loadParameters} replaces each
 * parameter's array with a new one, which a live {@code Trainer}'s parameter store (which cached the old arrays)
 * would never see, and which drops the requires-gradient flag.
 */
public final class ParameterFiles {

    private static final long ZIP_EPOCH = java.time.LocalDateTime.of(1980, 1, 1, 0, 0)
            .atZone(java.time.ZoneId.systemDefault()).toInstant().toEpochMilli();

    private ParameterFiles() {
    }

    public static byte[] encode(Block block) throws IOException {
        NDList list = new NDList();
        try {
            for (Pair<String, Parameter> e : block.getParameters()) {
                NDArray a = e.getValue().getArray().duplicate();
                a.setName(e.getKey());
                list.add(a);
            }
            return encodeNpz(list);
        } finally {
            list.close();
        }
    }

    /**
     * The arrays as an .npz archive, byte for byte the same for the same arrays: DJL stamps each zip entry with the
     * current time, so the archive is rewritten with one fixed entry time (1980-01-01, the zip epoch), keeping
     * names, order and contents, each entry stored uncompressed as {@code numpy.savez} does.
     */
    static byte[] encodeNpz(NDList list) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        list.encode(raw, NDList.Encoding.NPZ);
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.size());
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(raw.toByteArray()));
             ZipOutputStream zip = new ZipOutputStream(out)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                byte[] data = in.readAllBytes();
                CRC32 crc = new CRC32();
                crc.update(data);
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setTime(ZIP_EPOCH);
                copy.setMethod(ZipEntry.STORED); // as numpy.savez: float weights barely compress
                copy.setSize(data.length);
                copy.setCompressedSize(data.length);
                copy.setCrc(crc.getValue());
                zip.putNextEntry(copy);
                zip.write(data);
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /** Copies every array of the archive into the parameter of the same name; all must match in name and shape. */
    public static void decodeInto(byte[] npz, Block block, NDManager manager) throws IOException {
        try (NDManager scope = manager.newSubManager()) {
            NDList list = NDList.decode(scope, npz);
            list.attach(scope);
            Set<String> seen = new HashSet<>();
            for (Pair<String, Parameter> e : block.getParameters()) {
                NDArray src = list.get(e.getKey());
                if (src == null) {
                    throw new IOException("parameter file lacks " + e.getKey());
                }
                NDArray dst = e.getValue().getArray();
                if (!src.getShape().equals(dst.getShape()) || src.getDataType() != dst.getDataType()) {
                    throw new IOException(e.getKey() + ": file has " + src.getShape() + " " + src.getDataType()
                            + ", block has " + dst.getShape() + " " + dst.getDataType());
                }
                src.copyTo(dst);
                seen.add(e.getKey());
            }
            if (seen.size() != list.size()) {
                throw new IOException("parameter file has " + list.size() + " arrays, block " + seen.size());
            }
        }
    }

    /**
     * The momentum buffers {@code optimizer} holds for the parameters of {@code block}, as an .npz archive named
     * by parameter path (parameters not updated yet have none).
     */
    public static byte[] encodeMomentum(Block block, MomentumOptimizer optimizer) throws IOException {
        NDList list = new NDList();
        for (Pair<String, Parameter> e : block.getParameters()) {
            NDArray mu = optimizer.momentumState(e.getValue().getId(), e.getValue().getArray().getDevice());
            if (mu != null) {
                NDArray named = mu.duplicate();
                named.setName(e.getKey());
                list.add(named);
            }
        }
        byte[] bytes = encodeNpz(list);
        list.close();
        return bytes;
    }

    /** Restores the momentum buffers of {@link #encodeMomentum} into {@code optimizer}, before its first update. */
    public static void decodeMomentum(byte[] npz, Block block, MomentumOptimizer optimizer, NDManager manager)
            throws IOException {
        Map<String, Parameter> byName = new LinkedHashMap<>();
        for (Pair<String, Parameter> e : block.getParameters()) {
            byName.put(e.getKey(), e.getValue());
        }
        try (NDManager scope = manager.newSubManager()) {
            NDList list = NDList.decode(scope, npz);
            list.attach(scope);
            for (NDArray a : list) {
                Parameter param = byName.get(a.getName());
                if (param == null) {
                    throw new IOException("momentum for unknown parameter " + a.getName());
                }
                optimizer.restoreMomentum(param.getId(), a);
            }
        }
    }

    /** The momentum buffers' file in {@link #checkpoint}. */
    public static final String MOMENTUM_FILE = "optimizer.npz";

    /**
     * The checkpoint files of a network trained by a momentum optimizer (the fine-tuning jobs', the detector's):
     * {@code weightsFile} with its parameters and {@link #MOMENTUM_FILE} with the optimizer's buffers.
     */
    public static LinkedHashMap<String, byte[]> checkpoint(String weightsFile, Block block,
            MomentumOptimizer optimizer) throws IOException {
        LinkedHashMap<String, byte[]> files = new LinkedHashMap<>();
        files.put(weightsFile, encode(block));
        files.put(MOMENTUM_FILE, encodeMomentum(block, optimizer));
        return files;
    }

    /** Restores what {@link #checkpoint} wrote and continues the optimizer's schedule after {@code steps}. */
    public static void restore(Checkpoints.Contents files, String weightsFile, Block block,
            MomentumOptimizer optimizer, NDManager manager, long steps) throws IOException {
        decodeInto(files.get(weightsFile), block, manager);
        decodeMomentum(files.get(MOMENTUM_FILE), block, optimizer, manager);
        optimizer.setStepOffset(steps);
    }
}
