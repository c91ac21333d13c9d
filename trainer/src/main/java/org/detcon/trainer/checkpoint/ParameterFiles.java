package org.detcon.trainer.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
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
        List<Pair<String, NDArray>> arrays = new ArrayList<>();
        for (Pair<String, Parameter> e : block.getParameters()) {
            arrays.add(new Pair<>(e.getKey(), e.getValue().getArray()));
        }
        return encodeNpz(arrays);
    }

    /**
     * The named arrays as an .npz archive, as {@code numpy.savez} writes one: a zip of {@code NAME.npy} entries
     * stored uncompressed (float weights barely compress), in order, each stamped with one fixed time (1980-01-01,
     * the zip epoch) so that the same arrays give the same bytes. Each entry is the .npy (format 1.0) that DJL's
     * {@code NDList.encode(NPZ)} writes ({@link #npyHeader}), so {@code NDList.decode} and NumPy read it; the archive
     * is byte for byte the one this class wrote by having DJL write a compressed npz and rewriting it (tested).
     */
    static byte[] encodeNpz(List<Pair<String, NDArray>> arrays) throws IOException {
        long size = 22;
        for (Pair<String, NDArray> e : arrays) {
            size += 200 + 2L * e.getKey().length() + e.getValue().size() * e.getValue().getDataType().getNumOfBytes();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 16, size));
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Pair<String, NDArray> e : arrays) {
                NDArray a = e.getValue();
                byte[] header = npyHeader(a.getDataType(), a.getShape());
                byte[] data = a.toByteArray(); // native (little-endian) order, as the header's descr says
                CRC32 crc = new CRC32();
                crc.update(header);
                crc.update(data);
                ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
                entry.setTime(ZIP_EPOCH);
                entry.setMethod(ZipEntry.STORED);
                entry.setSize((long) header.length + data.length);
                entry.setCompressedSize((long) header.length + data.length);
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                zip.write(header);
                zip.write(data);
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /**
     * The .npy header (format 1.0) of an array, as DJL 0.36's {@code NDSerializer.encodeAsNumpy} writes it: the
     * magic, version 1.0, the little-endian header length, {@code {'descr': '<f4', 'fortran_order': False,
     * 'shape': (2, 3), }} (a 1-d shape as {@code (n,)}) padded with spaces and a newline so the data starts at a
     * multiple of 64 bytes.
     */
    static byte[] npyHeader(DataType type, Shape shape) {
        StringBuilder sb = new StringBuilder(80);
        sb.append("{'descr': '").append(type.asNumpy()).append("', 'fortran_order': False, 'shape': ");
        if (shape.dimension() == 1) {
            sb.append('(').append(shape.get(0)).append(",)");
        } else {
            sb.append(shape);
        }
        sb.append(", }");
        int len = sb.length() + 1;
        int padding = NPY_ALIGN - (NPY_MAGIC.length + len + 4) % NPY_ALIGN;
        ByteBuffer b = ByteBuffer.allocate(NPY_MAGIC.length + 4 + len + padding).order(ByteOrder.LITTLE_ENDIAN);
        b.put(NPY_MAGIC).put((byte) 1).put((byte) 0).putShort((short) (padding + len));
        b.put(sb.toString().getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < padding; i++) {
            b.put((byte) ' ');
        }
        b.put((byte) '\n');
        return b.array();
    }

    private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int NPY_ALIGN = 64;

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
        List<Pair<String, NDArray>> arrays = new ArrayList<>();
        for (Pair<String, Parameter> e : block.getParameters()) {
            NDArray mu = optimizer.momentumState(e.getValue().getId(), e.getValue().getArray().getDevice());
            if (mu != null) {
                arrays.add(new Pair<>(e.getKey(), mu));
            }
        }
        return encodeNpz(arrays);
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
