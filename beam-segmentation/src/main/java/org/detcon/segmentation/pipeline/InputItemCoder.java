package org.detcon.segmentation.pipeline;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.detcon.core.coco.CocoAnnotation;
import org.detcon.core.coco.CocoImage;
import org.detcon.core.coco.CocoSegmentation;

/**
 * Beam coder for {@link InputItem}: key, source, and for COCO inputs the image entry and its annotations field by
 * field (polygons, uncompressed and compressed RLE, bbox), so the annotations reach the workers exactly as read.
 */
public final class InputItemCoder extends AtomicCoder<InputItem> {

    private static final long serialVersionUID = 1L;
    private static final InputItemCoder INSTANCE = new InputItemCoder();

    public static InputItemCoder of() {
        return INSTANCE;
    }

    private InputItemCoder() {
    }

    @Override
    public void encode(InputItem item, OutputStream outStream) throws IOException {
        DataOutputStream out = new DataOutputStream(outStream);
        Codecs.writeString(out, item.key());
        Codecs.writeString(out, item.source());
        CocoImage img = item.cocoImage();
        out.writeBoolean(img != null);
        if (img != null) {
            out.writeLong(img.id());
            Codecs.writeNullableString(out, img.fileName());
            out.writeInt(img.width());
            out.writeInt(img.height());
        }
        out.writeInt(item.annotations().size());
        for (CocoAnnotation a : item.annotations()) {
            out.writeLong(a.id());
            out.writeLong(a.imageId());
            out.writeInt(a.categoryId());
            writeDoubles(out, a.bbox());
            out.writeDouble(a.area());
            out.writeBoolean(a.iscrowd());
            writeSegmentation(out, a.segmentation());
        }
        out.flush();
    }

    @Override
    public InputItem decode(InputStream inStream) throws IOException {
        DataInputStream in = new DataInputStream(inStream);
        String key = Codecs.readString(in);
        String source = Codecs.readString(in);
        CocoImage img = null;
        if (in.readBoolean()) {
            long id = in.readLong();
            String fileName = Codecs.readNullableString(in);
            img = new CocoImage(id, fileName, in.readInt(), in.readInt());
        }
        int n = Codecs.readCount(in);
        List<CocoAnnotation> anns = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long id = in.readLong();
            long imageId = in.readLong();
            int category = in.readInt();
            double[] bbox = readDoubles(in);
            double area = in.readDouble();
            boolean crowd = in.readBoolean();
            anns.add(new CocoAnnotation(id, imageId, category, bbox, area, crowd, readSegmentation(in)));
        }
        return new InputItem(key, source, img, anns);
    }

    private static void writeSegmentation(DataOutputStream out, CocoSegmentation s) throws IOException {
        if (s == null) {
            out.writeByte(0);
        } else if (s instanceof CocoSegmentation.Polygons p) {
            out.writeByte(1);
            out.writeInt(p.polygons().length);
            for (double[] poly : p.polygons()) {
                writeDoubles(out, poly);
            }
        } else if (s instanceof CocoSegmentation.UncompressedRle r) {
            out.writeByte(2);
            out.writeInt(r.height());
            out.writeInt(r.width());
            out.writeInt(r.counts().length);
            for (int c : r.counts()) {
                out.writeInt(c);
            }
        } else if (s instanceof CocoSegmentation.CompressedRle r) {
            out.writeByte(3);
            out.writeInt(r.height());
            out.writeInt(r.width());
            Codecs.writeString(out, r.counts());
        } else {
            throw new CoderException("unknown segmentation " + s.getClass());
        }
    }

    private static CocoSegmentation readSegmentation(DataInputStream in) throws IOException {
        int kind = in.readByte();
        switch (kind) {
            case 0:
                return null;
            case 1: {
                double[][] polys = new double[Codecs.readCount(in)][];
                for (int i = 0; i < polys.length; i++) {
                    polys[i] = readDoubles(in);
                }
                return new CocoSegmentation.Polygons(polys);
            }
            case 2: {
                int h = in.readInt();
                int w = in.readInt();
                int[] counts = new int[Codecs.readCount(in)];
                for (int i = 0; i < counts.length; i++) {
                    counts[i] = in.readInt();
                }
                return new CocoSegmentation.UncompressedRle(h, w, counts);
            }
            case 3: {
                int h = in.readInt();
                int w = in.readInt();
                return new CocoSegmentation.CompressedRle(h, w, Codecs.readString(in));
            }
            default:
                throw new CoderException("unknown segmentation kind " + kind);
        }
    }

    private static void writeDoubles(DataOutputStream out, double[] v) throws IOException {
        out.writeInt(v == null ? -1 : v.length);
        if (v != null) {
            for (double d : v) {
                out.writeDouble(d);
            }
        }
    }

    private static double[] readDoubles(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < -1) {
            throw new CoderException("negative length " + n);
        }
        if (n == -1) {
            return null;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readDouble();
        }
        return v;
    }
}
