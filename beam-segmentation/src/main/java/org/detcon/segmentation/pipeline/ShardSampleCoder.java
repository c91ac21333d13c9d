package org.detcon.segmentation.pipeline;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;
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
        Codecs.writeString(out, s.key());
        Codecs.writeBytes(out, s.metadata().toBytes());
        Codecs.writeBytes(out, s.image());
        out.writeInt(s.maskFiles().size());
        for (Map.Entry<String, byte[]> e : s.maskFiles().entrySet()) {
            Codecs.writeString(out, e.getKey());
            Codecs.writeBytes(out, e.getValue());
        }
        out.flush();
    }

    @Override
    public ShardSample decode(InputStream inStream) throws IOException {
        DataInputStream in = new DataInputStream(inStream);
        String key = Codecs.readString(in);
        SampleMetadata meta = SampleMetadata.fromBytes(Codecs.readBytes(in), key + ".json");
        byte[] image = Codecs.readBytes(in);
        int n = Codecs.readCount(in);
        TreeMap<String, byte[]> files = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            files.put(Codecs.readString(in), Codecs.readBytes(in));
        }
        return new ShardSample(key, meta, image, files);
    }
}
