package org.detcon.eval.detection;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * A tiny COCO-layout dataset for tests ({@code ROOT/annotations/instances_{split}.json}, {@code ROOT/{split}/*.png}):
 * noisy gray backgrounds with 1–3 objects each, squares (category 1, red) and diamonds (category 2, green) drawn as
 * polygons, plus one crowd and one zero-area annotation per split, and (train split) one image with no annotation.
 */
public final class TinyCoco {

    private TinyCoco() {
    }

    public static Path write(Path root, String split, int images, int width, int height, long seed)
            throws IOException {
        return write(root, split, images, width, height, seed, true);
    }

    /** {@code defects}: add the crowd and zero-area annotations and (train) the image without annotations. */
    public static Path write(Path root, String split, int images, int width, int height, long seed, boolean defects)
            throws IOException {
        Path dir = Files.createDirectories(root.resolve(split));
        Files.createDirectories(root.resolve("annotations"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode coco = json.createObjectNode();
        ArrayNode ims = coco.putArray("images");
        ArrayNode anns = coco.putArray("annotations");
        ArrayNode cats = coco.putArray("categories");
        cats.addObject().put("id", 1).put("name", "square").put("supercategory", "shape");
        cats.addObject().put("id", 2).put("name", "diamond").put("supercategory", "shape");
        SplittableRandom rng = new SplittableRandom(seed);
        long annId = 1;
        for (int i = 0; i < images; i++) {
            long id = 100 + i;
            String file = String.format("%06d.png", id);
            ims.addObject().put("id", id).put("file_name", file).put("width", width).put("height", height);
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int g = 90 + rng.nextInt(40);
                    img.setRGB(x, y, (g << 16) | (g << 8) | g);
                }
            }
            int objects = defects && i == images - 1 && split.equals("train") ? 0 : 1 + rng.nextInt(3);
            for (int k = 0; k < objects; k++) {
                int cat = 1 + rng.nextInt(2);
                int s = Math.max(6, Math.min(width, height) / 5 + rng.nextInt(Math.min(width, height) / 4));
                int x0 = rng.nextInt(width - s);
                int y0 = rng.nextInt(height - s);
                double[] poly;
                if (cat == 1) {
                    poly = new double[] {x0, y0, x0 + s, y0, x0 + s, y0 + s, x0, y0 + s};
                } else {
                    double c = s / 2.0;
                    poly = new double[] {x0 + c, y0, x0 + s, y0 + c, x0 + c, y0 + s, x0, y0 + c};
                }
                int rgb = cat == 1 ? 0xD03020 : 0x20C040;
                for (int y = y0; y < y0 + s; y++) {
                    for (int x = x0; x < x0 + s; x++) {
                        double dx = Math.abs(x + 0.5 - x0 - s / 2.0);
                        double dy = Math.abs(y + 0.5 - y0 - s / 2.0);
                        if (cat == 1 || dx + dy <= s / 2.0) {
                            img.setRGB(x, y, rgb);
                        }
                    }
                }
                ObjectNode a = anns.addObject().put("id", annId++).put("image_id", id).put("category_id", cat)
                        .put("iscrowd", 0).put("area", cat == 1 ? s * s : s * s / 2.0);
                a.putArray("bbox").add(x0).add(y0).add(s).add(s);
                ArrayNode seg = a.putArray("segmentation").addArray();
                for (double v : poly) {
                    seg.add(v);
                }
            }
            ImageIO.write(img, "png", dir.resolve(file).toFile());
        }
        if (!defects) {
            Files.write(root.resolve("annotations/instances_" + split + ".json"), json.writeValueAsBytes(coco));
            return root;
        }
        // a crowd region and a zero-area box on the first image: left out of training and counted
        ObjectNode crowd = anns.addObject().put("id", annId++).put("image_id", 100).put("category_id", 1)
                .put("iscrowd", 1).put("area", 4);
        crowd.putArray("bbox").add(0).add(0).add(2).add(2);
        crowd.putArray("segmentation").addArray().add(0).add(0).add(2).add(0).add(2).add(2).add(0).add(2);
        ObjectNode flat = anns.addObject().put("id", annId).put("image_id", 100).put("category_id", 2)
                .put("iscrowd", 0).put("area", 0);
        flat.putArray("bbox").add(3).add(3).add(0).add(5);
        flat.putArray("segmentation").addArray().add(3).add(3).add(3).add(8).add(3).add(3);
        Files.write(root.resolve("annotations/instances_" + split + ".json"), json.writeValueAsBytes(coco));
        return root;
    }
}
