package org.detcon.trainer.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.detcon.trainer.engine.Torch;
import org.detcon.trainer.model.ResNet;
import org.detcon.trainer.model.ResNetConfig;
import org.junit.jupiter.api.Test;

/**
 * The .npz written directly ({@link ParameterFiles#encodeNpz}) is byte for byte the archive the class wrote before
 * (DJL's compressed {@code NDList.encode(NPZ)} rewritten with stored entries and a fixed time: {@link #viaDjl}, kept
 * here as the reference), so checkpoints saved before load and hash the same; it round-trips; and an archive as DJL
 * writes it (deflated entries, current time) still loads.
 */
class ParameterFilesTest {

    private static final long ZIP_EPOCH = java.time.LocalDateTime.of(1980, 1, 1, 0, 0)
            .atZone(java.time.ZoneId.systemDefault()).toInstant().toEpochMilli();

    /** The previous encoder: DJL writes a compressed npz, rewritten entry by entry stored with the zip epoch's time. */
    static byte[] viaDjl(List<Pair<String, NDArray>> arrays) throws IOException {
        NDList list = new NDList();
        for (Pair<String, NDArray> e : arrays) {
            NDArray a = e.getValue().duplicate();
            a.setName(e.getKey());
            list.add(a);
        }
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        list.encode(raw, NDList.Encoding.NPZ);
        list.close();
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.size());
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(raw.toByteArray()));
             ZipOutputStream zip = new ZipOutputStream(out)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                byte[] data = in.readAllBytes();
                CRC32 crc = new CRC32();
                crc.update(data);
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setTime(ZIP_EPOCH);
                copy.setMethod(ZipEntry.STORED);
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

    static List<Pair<String, NDArray>> parameters(Block block) {
        List<Pair<String, NDArray>> arrays = new ArrayList<>();
        for (Pair<String, Parameter> e : block.getParameters()) {
            arrays.add(new Pair<>(e.getKey(), e.getValue().getArray()));
        }
        return arrays;
    }

    @Test
    void directArchiveIsByteForByteThePreviousOneAndRoundTrips() throws IOException {
        try (NDManager m = Torch.newManager()) {
            ResNet.Backbone r = ResNet.build(new ResNetConfig(18, 1));
            r.block().initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            for (Pair<String, Parameter> e : r.block().getParameters()) {
                NDArray a = e.getValue().getArray();
                m.randomNormal(a.getShape()).copyTo(a);
            }
            assertArrayEquals(viaDjl(parameters(r.block())), ParameterFiles.encode(r.block()));

            // every dtype and rank the checkpoints hold or might: scalar, 1-d (numpy's "(n,)"), 4-d, ints, doubles
            List<Pair<String, NDArray>> odd = List.of(new Pair<>("scalar", m.create(2.5f)),
                    new Pair<>("vector", m.arange(7f)), new Pair<>("long", m.create(new long[] {1, -2, 3})),
                    new Pair<>("int", m.create(new int[][] {{1, 2}, {3, 4}})),
                    new Pair<>("double", m.create(new double[] {0.1, 0.2})),
                    new Pair<>("empty", m.zeros(new Shape(0, 3))),
                    new Pair<>("tensor", m.randomUniform(0, 1, new Shape(2, 3, 4, 5))),
                    new Pair<>("a_much_longer_name_" + "x".repeat(120), m.ones(new Shape(3))));
            byte[] direct = ParameterFiles.encodeNpz(odd);
            assertArrayEquals(viaDjl(odd), direct);
            try (NDManager s = m.newSubManager()) {
                NDList back = NDList.decode(s, direct);
                assertEquals(odd.size(), back.size());
                for (int i = 0; i < odd.size(); i++) {
                    NDArray a = odd.get(i).getValue();
                    NDArray b = back.get(i);
                    assertEquals(odd.get(i).getKey(), b.getName());
                    assertEquals(a.getShape(), b.getShape());
                    assertEquals(a.getDataType(), b.getDataType());
                    assertArrayEquals(a.toByteArray(), b.toByteArray());
                }
            }

            // round trip into a fresh network of the same shape
            ResNet.Backbone fresh = ResNet.build(new ResNetConfig(18, 1));
            fresh.block().initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            ParameterFiles.decodeInto(ParameterFiles.encode(r.block()), fresh.block(), m);
            assertArrayEquals(ParameterFiles.encode(r.block()), ParameterFiles.encode(fresh.block()));

            // DJL's own archive (deflated entries stamped with the current time) still loads
            ByteArrayOutputStream djl = new ByteArrayOutputStream();
            NDList named = new NDList();
            for (Pair<String, NDArray> e : parameters(r.block())) {
                NDArray a = e.getValue().duplicate();
                a.setName(e.getKey());
                named.add(a);
            }
            named.encode(djl, NDList.Encoding.NPZ);
            ResNet.Backbone other = ResNet.build(new ResNetConfig(18, 1));
            other.block().initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            ParameterFiles.decodeInto(djl.toByteArray(), other.block(), m);
            assertArrayEquals(ParameterFiles.encode(r.block()), ParameterFiles.encode(other.block()));
        }
    }
}
