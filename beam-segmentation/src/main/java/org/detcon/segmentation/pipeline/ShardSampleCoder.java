package org.detcon.segmentation.pipeline;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.detcon.core.shard.SampleMetadata;
import org.detcon.core.shard.ShardSample;

/** Beam coder for {@link ShardSample}: key, metadata JSON, image bytes and each mask file, length-prefixed. */
public final class ShardSampleCoder extends AtomicCoder<ShardSample> {

    private static final long serialVersionUID = 1L;
    private static final ShardSampleCoder INSTANCE = new ShardSampleCoder();

    public static ShardSampleCoder of() {
        return INSTANCE;
    }

    private ShardSampleCoder() {
    }

    @Override
    public void encode(ShardSample s, OutputStream outStream) throws IOException {
        DataOutputStream out = new DataOutputStream(outStream);
        writeBytes(out, s.key().getBytes(StandardCharsets.UTF_8));
        writeBytes(out, s.metadata().toBytes());
        writeBytes(out, s.image());
        out.writeInt(s.maskFiles().size());
        for (Map.Entry<String, byte[]> e : s.maskFiles().entrySet()) {
            writeBytes(out, e.getKey().getBytes(StandardCharsets.UTF_8));
            writeBytes(out, e.getValue());
        }
        out.flush();
    }

    @Override
    public ShardSample decode(InputStream inStream) throws IOException {
        DataInputStream in = new DataInputStream(inStream);
        String key = new String(readBytes(in), StandardCharsets.UTF_8);
        SampleMetadata meta = SampleMetadata.fromBytes(readBytes(in), key + ".json");
        byte[] image = readBytes(in);
        int n = in.readInt();
        if (n < 0) {
            throw new CoderException("negative mask-file count");
        }
        TreeMap<String, byte[]> files = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            files.put(new String(readBytes(in), StandardCharsets.UTF_8), readBytes(in));
        }
        return new ShardSample(key, meta, image, files);
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new CoderException("negative length " + n);
        }
        return in.readNBytes(n);
    }
}
