package org.detcon.eval.finetune;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.detcon.core.store.ObjectStores;
import org.detcon.trainer.checkpoint.BackboneExport;
import org.detcon.trainer.checkpoint.Exportable;
import org.detcon.trainer.engine.Torch;
import org.detcon.trainer.model.ResNet;
import org.detcon.trainer.model.ResNetConfig;

/**
 * Tiny datasets in the real layouts for the fine-tuning tests: scenes of a background (class 0) with a square
 * (class 1) and a disc (class 2), the disc nearer than the square and both nearer than the background; VOC
 * (JPEG images, 8-bit class-id PNGs, split lists, {@code synth.json} with 3 classes) and the NYU PNG export
 * (16-bit millimetres). And a backbone export of a freshly initialised ResNet-18.
 */
public final class TinyData {

    static final int CLASSES = 3;

    private TinyData() {
    }

    /** Class ids of scene {@code k} at {@code w × h}. */
    static int[] labels(int k, int w, int h) {
        int[] l = new int[w * h];
        int sx = 3 + (k * 7) % (w / 2);
        int sy = 2 + (k * 5) % (h / 2);
        int cx = w - 10 - (k * 3) % (w / 3);
        int cy = h - 9 - (k * 2) % (h / 3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int c = 0;
                if (x >= sx && x < sx + w / 3 && y >= sy && y < sy + h / 3) {
                    c = 1;
                }
                if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= 36) {
                    c = 2;
                }
                l[y * w + x] = c;
            }
        }
        return l;
    }

    static BufferedImage image(int[] labels, int k, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int c = labels[y * w + x];
                int r = c == 1 ? 200 : c == 2 ? 40 : 90 + (x * 3 + k * 11) % 40;
                int g = c == 1 ? 60 : c == 2 ? 180 : 90 + (y * 5) % 40;
                int b = c == 2 ? 200 : 70;
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    static void gray(Path file, int[] v, int w, int h, boolean sixteen) throws IOException {
        BufferedImage img = new BufferedImage(w, h, sixteen ? BufferedImage.TYPE_USHORT_GRAY
                : BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setPixels(0, 0, w, h, v);
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    /** A VOC2012 tree under {@code root}: splits train and val with {@code train} / {@code val} scenes. */
    static Path voc(Path root, int train, int val, int w, int h) throws IOException {
        Path voc = root.resolve("VOC2012");
        Files.createDirectories(voc.resolve("JPEGImages"));
        List<String> ids = new ArrayList<>();
        for (int k = 0; k < train + val; k++) {
            String id = String.format("2011_%06d", k);
            ids.add(id);
            int[] l = labels(k, w, h);
            ImageIO.write(image(l, k, w, h), "jpg", voc.resolve("JPEGImages/" + id + ".jpg").toFile());
            gray(voc.resolve("SegmentationClass/" + id + ".png"), l, w, h, false);
        }
        Path lists = Files.createDirectories(voc.resolve("ImageSets/Segmentation"));
        Files.writeString(lists.resolve("train.txt"), String.join("\n", ids.subList(0, train)) + "\n");
        Files.writeString(lists.resolve("val.txt"), String.join("\n", ids.subList(train, train + val)) + "\n");
        Files.writeString(root.resolve("synth.json"), "{\"num_classes\": 3, \"class_names\": [\"background\","
                + " \"square\", \"disc\"]}", StandardCharsets.UTF_8);
        return voc;
    }

    /** The NYU PNG export under {@code root/nyu}: depth 4 m background, 2.5 m square, 1.5 m disc. */
    static void nyu(Path root, int train, int val, int w, int h) throws IOException {
        for (int k = 0; k < train + val; k++) {
            Path split = root.resolve("nyu").resolve(k < train ? "train" : "val");
            String id = String.format("%04d", k);
            int[] l = labels(k, w, h);
            int[] mm = new int[l.length];
            for (int i = 0; i < l.length; i++) {
                mm[i] = l[i] == 1 ? 2500 : l[i] == 2 ? 1500 : 4000 - (i / w) * 10;
            }
            Files.createDirectories(split.resolve("rgb"));
            ImageIO.write(image(l, k, w, h), "png", split.resolve("rgb/" + id + ".png").toFile());
            gray(split.resolve("depth/" + id + ".png"), mm, w, h, true);
        }
    }

    /** A backbone export of a freshly initialised (seeded) ResNet-18 in {@code dir}. */
    public static String export(Path dir) throws IOException {
        Torch.engine().setRandomSeed(7);
        try (NDManager m = Torch.newManager()) {
            ResNetConfig c = new ResNetConfig(18, 1);
            ResNet.Backbone b = ResNet.build(c);
            b.block().initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            BackboneExport.write(ObjectStores.open(dir.toString()), new Exportable() {
                @Override
                public Block backboneBlock() {
                    return b.block();
                }

                @Override
                public ResNetConfig resnet() {
                    return c;
                }

                @Override
                public int imageSize() {
                    return 64;
                }

                @Override
                public String method() {
                    return "TEST";
                }

                @Override
                public long stepCount() {
                    return 0;
                }
            });
        }
        return dir.toString();
    }
}
