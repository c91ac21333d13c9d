package org.detcon.segmentation.pipeline;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.detcon.core.shard.ShardInfo;

/** Beam coder for {@link ShardInfo}: name, samples, bytes, sha256. */
public final class ShardInfoCoder extends AtomicCoder<ShardInfo> {

    private static final long serialVersionUID = 1L;
    private static final ShardInfoCoder INSTANCE = new ShardInfoCoder();

    public static ShardInfoCoder of() {
        return INSTANCE;
    }

    private ShardInfoCoder() {
    }

    @Override
    public void encode(ShardInfo s, OutputStream outStream) throws IOException {
        DataOutputStream out = new DataOutputStream(outStream);
        Codecs.writeString(out, s.name());
        out.writeLong(s.samples());
        out.writeLong(s.bytes());
        Codecs.writeString(out, s.sha256());
        out.flush();
    }

    @Override
    public ShardInfo decode(InputStream inStream) throws IOException {
        DataInputStream in = new DataInputStream(inStream);
        return new ShardInfo(Codecs.readString(in), in.readLong(), in.readLong(), Codecs.readString(in));
    }
}
