package org.detcon.segmentation.pipeline;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.detcon.core.shard.DeadLetter;

/** Beam coder for {@link DeadLetter}: input, reason. */
public final class DeadLetterCoder extends AtomicCoder<DeadLetter> {

    private static final long serialVersionUID = 1L;
    private static final DeadLetterCoder INSTANCE = new DeadLetterCoder();

    public static DeadLetterCoder of() {
        return INSTANCE;
    }

    private DeadLetterCoder() {
    }

    @Override
    public void encode(DeadLetter d, OutputStream outStream) throws IOException {
        DataOutputStream out = new DataOutputStream(outStream);
        Codecs.writeString(out, d.input());
        Codecs.writeString(out, d.reason());
        out.flush();
    }

    @Override
    public DeadLetter decode(InputStream inStream) throws IOException {
        DataInputStream in = new DataInputStream(inStream);
        return new DeadLetter(Codecs.readString(in), Codecs.readString(in));
    }
}
