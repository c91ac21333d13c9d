package org.detcon.orchestration.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.detcon.core.labelmap.LabelMap;
import org.detcon.core.labelmap.LabelMapPng;
import org.detcon.core.mask.Rle;
import org.detcon.core.mask.RleCodec;
import org.detcon.core.mask.RleOps;
import org.detcon.core.mask.RleString;
import org.detcon.core.store.FileTrees;

/**
 * Writes generated scenes in the real formats of detcon-spec.md section 7, so the real readers are exercised:
 * <pre>
 * OUT/synth.json                                   parameters, counts, class names (written last: completion marker)
 * OUT/coco/annotations/instances_{train,val}.json  COCO instances: polygons for fully visible polygonal objects,
 *                                                  compressed RLE for occluded ones and rings; bbox, area, categories
 * OUT/coco/{train,val}/ID.jpg                      the images (JPEG, quality 95)
 * OUT/VOC2012/JPEGImages/ID.jpg                    the same JPEG bytes
 * OUT/VOC2012/SegmentationClass/ID.png             8-bit palette PNG (VOC palette), index = class id
 * OUT/VOC2012/ImageSets/Segmentation/{train,val}.txt
 * OUT/nyu/{train,val}/rgb/ID.jpg                   the same JPEG bytes (the NYU reader takes .png or .jpg), so
 *                                                  the segmentation and depth probes see identical pixels
 * OUT/nyu/{train,val}/depth/ID.png                 16-bit grayscale depth in millimetres
 * </pre>
 * The whole tree is built in a temporary sibling directory and renamed into place; the same parameters give the
 * same bytes.
 */
public final class SynthDataset {

    public static final String FORMAT = "detcon-synth/1";
    public static final String MARKER = "synth.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Generator parameters. */
    public record Params(int trainImages, int valImages, int size, long seed) {
        public Params {
            if (trainImages < 1 || valImages < 0 || size < 16 || size > 4096) {
                throw new IllegalArgumentException("need >= 1 train images, >= 0 val images and 16 <= size <= 4096");
            }
        }
    }

    /** Progress callback: images done of total. */
    public interface Progress {
        void update(int done, int total);
    }

    private SynthDataset() {
    }

    /** Where a split's files are. */
    public static Path cocoAnnotations(Path root, String split) {
        return root.resolve("coco/annotations/instances_" + split + ".json");
    }

    public static Path cocoImages(Path root, String split) {
        return root.resolve("coco/" + split);
    }

    public static Path vocRoot(Path root) {
        return root.resolve("VOC2012");
    }

    public static Path nyuRoot(Path root, String split) {
        return root.resolve("nyu/" + split);
    }

    /** True when {@code root} holds a complete dataset written with {@code p}. */
    public static boolean isComplete(Path root, Params p) {
        Path marker = root.resolve(MARKER);
        if (!Files.isRegularFile(marker)) {
            return false;
        }
        try {
            var node = JSON.readTree(marker.toFile());
            return FORMAT.equals(node.path("format").asText()) && node.path("train_images").asInt() == p.trainImages()
                    && node.path("val_images").asInt() == p.valImages() && node.path("size").asInt() == p.size()
                    && node.path("seed").asLong() == p.seed();
        } catch (IOException e) {
            return false;
        }
    }

    /** Generates the dataset into {@code out} (replacing it). */
    public static void write(Path out, Params p, Progress progress) throws IOException {
        Path abs = out.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = abs.getParent().resolve(".tmp-" + abs.getFileName() + "-" + UUID.randomUUID());
        try {
            int total = p.trainImages() + p.valImages();
            int[] done = {0};
            writeSplit(tmp, "train", p.trainImages(), p, () -> report(progress, ++done[0], total));
            writeSplit(tmp, "val", p.valImages(), p, () -> report(progress, ++done[0], total));
            ObjectNode m = JSON.createObjectNode();
            m.put("format", FORMAT);
            m.put("train_images", p.trainImages());
            m.put("val_images", p.valImages());
            m.put("size", p.size());
            m.put("seed", p.seed());
            m.put("num_classes", SceneGenerator.NUM_CLASSES);
            ArrayNode names = m.putArray("class_names");
            names.add("background");
            for (SceneGenerator.Shape s : SceneGenerator.Shape.values()) {
                names.add(s.label());
            }
            Files.write(tmp.resolve(MARKER), JSON.writeValueAsBytes(m));
            if (Files.exists(abs)) {
                FileTrees.delete(abs);
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            if (Files.exists(tmp)) {
                FileTrees.delete(tmp);
            }
        }
    }

    private static void report(Progress p, int done, int total) {
        if (p != null) {
            p.update(done, total);
        }
    }

    private static void writeSplit(Path root, String split, int count, Params p, Runnable tick) throws IOException {
        Path cocoImg = cocoImages(root, split);
        Path voc = vocRoot(root);
        Path nyu = nyuRoot(root, split);
        for (Path d : List.of(cocoImg, root.resolve("coco/annotations"), voc.resolve("JPEGImages"),
                voc.resolve("SegmentationClass"), voc.resolve("ImageSets/Segmentation"), nyu.resolve("rgb"),
                nyu.resolve("depth"))) {
            Files.createDirectories(d);
        }
        ObjectNode coco = JSON.createObjectNode();
        ObjectNode info = coco.putObject("info");
        info.put("description", "detcon synthetic scenes, split " + split + ", seed " + p.seed());
        info.put("version", FORMAT);
        ArrayNode images = coco.putArray("images");
        ArrayNode anns = coco.putArray("annotations");
        ArrayNode cats = coco.putArray("categories");
        for (SceneGenerator.Shape s : SceneGenerator.Shape.values()) {
            ObjectNode c = cats.addObject();
            c.put("id", s.classId());
            c.put("name", s.label());
            c.put("supercategory", "shape");
        }
        StringBuilder list = new StringBuilder();
        long annId = 1;
        for (int i = 0; i < count; i++) {
            SceneGenerator.Scene sc = SceneGenerator.draw(p.seed(), split, i, p.size());
            int s = sc.size();
            byte[] jpeg = jpeg(sc.rgb(), s);
            Files.write(cocoImg.resolve(sc.id() + ".jpg"), jpeg);
            Files.write(voc.resolve("JPEGImages/" + sc.id() + ".jpg"), jpeg);
            Files.write(voc.resolve("SegmentationClass/" + sc.id() + ".png"), palettePng(sc.semantic(), s));
            Files.write(nyu.resolve("rgb/" + sc.id() + ".jpg"), jpeg);
            Files.write(nyu.resolve("depth/" + sc.id() + ".png"), LabelMapPng.encode(new LabelMap(s, s, sc.depthMm())));
            list.append(sc.id()).append('\n');
            long imageId = i + 1L;
            ObjectNode im = images.addObject();
            im.put("id", imageId);
            im.put("file_name", sc.id() + ".jpg");
            im.put("width", s);
            im.put("height", s);
            for (SceneGenerator.SceneObject o : sc.objects()) {
                if (o.visibleArea() == 0) {
                    continue; // fully hidden: not annotated
                }
                Rle rle = RleCodec.encodeRowMajor(toBool(o.visibleMask()), s, s);
                ObjectNode a = anns.addObject();
                a.put("id", annId++);
                a.put("image_id", imageId);
                a.put("category_id", o.shape().classId());
                a.put("iscrowd", 0);
                a.put("area", (double) RleOps.area(rle));
                ArrayNode bbox = a.putArray("bbox");
                for (double v : RleOps.toBbox(rle)) {
                    bbox.add(v);
                }
                if (o.polygonExact()) {
                    a.putArray("segmentation").addArray().addAll(doubles(o.outer()));
                } else {
                    ObjectNode seg = a.putObject("segmentation");
                    seg.putArray("size").add(s).add(s);
                    seg.put("counts", RleString.encode(rle));
                }
            }
            tick.run();
        }
        Files.write(cocoAnnotations(root, split), JSON.writeValueAsBytes(coco));
        Files.writeString(voc.resolve("ImageSets/Segmentation/" + split + ".txt"), list.toString(),
                StandardCharsets.UTF_8);
    }

    private static ArrayNode doubles(double[] v) {
        ArrayNode a = JSON.createArrayNode();
        for (double d : v) {
            a.add(d);
        }
        return a;
    }

    private static boolean[] toBool(byte[] m) {
        boolean[] b = new boolean[m.length];
        for (int i = 0; i < m.length; i++) {
            b[i] = m[i] != 0;
        }
        return b;
    }

    private static BufferedImage rgbImage(byte[] rgb, int s) {
        BufferedImage img = new BufferedImage(s, s, BufferedImage.TYPE_3BYTE_BGR);
        int[] px = new int[s * s * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = rgb[i] & 0xFF;
        }
        img.getRaster().setPixels(0, 0, s, s, px);
        return img;
    }

    static byte[] jpeg(byte[] rgb, int s) throws IOException {
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(bos)) {
            w.setOutput(ios);
            ImageWriteParam param = w.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.95f);
            w.write(null, new IIOImage(rgbImage(rgb, s), null, null), param);
        } finally {
            w.dispose();
        }
        return bos.toByteArray();
    }

    static byte[] rgbPng(byte[] rgb, int s) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        if (!ImageIO.write(rgbImage(rgb, s), "png", bos)) {
            throw new IOException("no PNG writer");
        }
        return bos.toByteArray();
    }

    /** The PASCAL VOC colour map (bit-interleaved), 256 entries. */
    static IndexColorModel vocPalette() {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            int c = i;
            int rr = 0;
            int gg = 0;
            int bb = 0;
            for (int j = 0; j < 8; j++) {
                rr |= ((c) & 1) << (7 - j);
                gg |= ((c >> 1) & 1) << (7 - j);
                bb |= ((c >> 2) & 1) << (7 - j);
                c >>= 3;
            }
            r[i] = (byte) rr;
            g[i] = (byte) gg;
            b[i] = (byte) bb;
        }
        return new IndexColorModel(8, 256, r, g, b);
    }

    static byte[] palettePng(int[] classes, int s) throws IOException {
        BufferedImage img = new BufferedImage(s, s, BufferedImage.TYPE_BYTE_INDEXED, vocPalette());
        img.getRaster().setPixels(0, 0, s, s, classes);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", bos)) {
            throw new IOException("no PNG writer");
        }
        return bos.toByteArray();
    }
}
