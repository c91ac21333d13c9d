package org.detcon.eval.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a NumPy {@code .npy} depth map in metres: float32 or float64 (either byte order), shape (H, W), (1, H, W)
 * or (H, W, 1), C or Fortran order; writes one as float32, little-endian, shape (H, W), C order (what
 * {@code numpy.save} writes for such an array).
 */
public final class NpyDepth {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyDepth() {
    }

    public static DepthMap read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes.length < 10 || bytes[i] != MAGIC[i]) {
                throw new MalformedDataException(file, "npy magic", "not a .npy file");
            }
        }
        int major = bytes[6];
        int headerLen;
        int offset;
        if (major == 1) {
            headerLen = buf.getShort(8) & 0xFFFF;
            offset = 10;
        } else {
            headerLen = buf.getInt(8);
            offset = 12;
        }
        if (headerLen < 0 || offset + headerLen > bytes.length) {
            throw new MalformedDataException(file, "npy header", "truncated");
        }
        String header = new String(bytes, offset, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new MalformedDataException(file, "npy header", "cannot parse '" + header.strip() + "'");
        }
        if (!d.group(2).equals("f") || !(d.group(3).equals("4") || d.group(3).equals("8"))) {
            throw new MalformedDataException(file, "npy dtype", "expected float32 or float64, found "
                    + d.group(0));
        }
        int itemSize = Integer.parseInt(d.group(3));
        ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        boolean fortran = f.group(1).equals("True");
        int[] shape = java.util.Arrays.stream(s.group(1).split(",")).map(String::strip).filter(t -> !t.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
        int h;
        int w;
        if (shape.length == 2) {
            h = shape[0];
            w = shape[1];
        } else if (shape.length == 3 && shape[0] == 1) {
            h = shape[1];
            w = shape[2];
        } else if (shape.length == 3 && shape[2] == 1) {
            h = shape[0];
            w = shape[1];
        } else {
            throw new MalformedDataException(file, "npy shape", "expected (H, W), (1, H, W) or (H, W, 1), found ("
                    + s.group(1) + ")");
        }
        long n = (long) h * w;
        int data = offset + headerLen;
        if (h <= 0 || w <= 0 || data + n * itemSize != bytes.length) {
            throw new MalformedDataException(file, "npy data", "expected " + (n * itemSize) + " data bytes for ("
                    + s.group(1) + "), found " + (bytes.length - data));
        }
        ByteBuffer body = ByteBuffer.wrap(bytes, data, bytes.length - data).slice().order(order);
        float[] m = new float[(int) n];
        for (int i = 0; i < n; i++) {
            float v = itemSize == 4 ? body.getFloat(i * 4) : (float) body.getDouble(i * 8);
            int dst = fortran ? (i % h) * w + (i / h) : i; // Fortran: element i is (y = i % h, x = i / h)
            m[dst] = v;
        }
        return new DepthMap(w, h, m);
    }

    /** {@code map} as the bytes of a .npy file (format 1.0, {@code <f4}, C order). */
    public static byte[] encode(DepthMap map) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + map.height() + ", " + map.width()
                + "), }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer buf = ByteBuffer.allocate(MAGIC.length + 4 + h.length + 4 * map.metres().length)
                .order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length).put(h);
        for (float v : map.metres()) {
            buf.putFloat(v);
        }
        return buf.array();
    }
}
