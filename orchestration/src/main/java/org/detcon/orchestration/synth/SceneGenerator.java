package org.detcon.orchestration.synth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.detcon.core.mask.PolygonRasterizer;
import org.detcon.core.mask.Rle;
import org.detcon.core.mask.RleCodec;

/**
 * Draws one deterministic scene: a textured background plane sloping away from the camera and 2-8 textured objects
 * of five shape classes at depths in front of it, painted far to near (nearer objects occlude farther ones).
 *
 * <p>Every shape is rasterised with the project's pycocotools-exact {@link PolygonRasterizer}, so an object's mask
 * is exactly what a COCO reader gets back from its polygons (the ring is the outer polygon minus the inner one).
 * The scene depends only on {@code (seed, split, index, size)}.
 */
public final class SceneGenerator {

    /** Semantic classes; class id = ordinal + 1 (0 = background). */
    public enum Shape {
        DISC, SQUARE, TRIANGLE, RING, STAR;

        public int classId() {
            return ordinal() + 1;
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static final int NUM_CLASSES = Shape.values().length + 1;

    /** One object as drawn: its full shape polygons (outer, then a hole for the ring) and what remains visible. */
    public record SceneObject(Shape shape, double[] outer, double[] hole, int[] rgb, float depthMetres,
            byte[] fullMask, byte[] visibleMask) {
        /** Visible mask = the full shape (nothing in front of it) and the shape is expressible as COCO polygons. */
        public boolean polygonExact() {
            return hole == null && Arrays.equals(fullMask, visibleMask);
        }

        public long visibleArea() {
            long n = 0;
            for (byte b : visibleMask) {
                n += b;
            }
            return n;
        }
    }

    /**
     * A drawn scene. {@code rgb} is interleaved 8-bit RGB, row-major; {@code semantic} the class id per pixel;
     * {@code depthMm} the depth in millimetres per pixel; objects in drawing order (far to near), masks row-major.
     */
    public record Scene(String id, int size, byte[] rgb, int[] semantic, int[] depthMm, List<SceneObject> objects) {
    }

    private SceneGenerator() {
    }

    static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public static Scene draw(long seed, String split, int index, int size) {
        SplittableRandom rng = new SplittableRandom(mix(mix(seed, split.hashCode()), index));
        String id = split + "_" + String.format(java.util.Locale.ROOT, "%06d", index);
        int n = size * size;
        byte[] rgb = new byte[n * 3];
        int[] semantic = new int[n];
        int[] depth = new int[n];

        // background: a plane whose depth grows towards the top of the image (a floor/wall seen at an angle)
        double dNear = 3.0 + rng.nextDouble() * 2.0;     // bottom row, metres
        double dFar = dNear + 2.0 + rng.nextDouble() * 3.0; // top row
        double tilt = (rng.nextDouble() - 0.5) * 1.0;    // left-right slope
        int[] bgColour = randomColour(rng);
        Texture bg = Texture.random(rng, bgColour, shade(bgColour, rng), size);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int i = y * size + x;
                double v = (double) y / Math.max(1, size - 1);
                double u = (double) x / Math.max(1, size - 1) - 0.5;
                double d = dFar + (dNear - dFar) * v + tilt * u;
                depth[i] = (int) Math.round(d * 1000);
                bg.paint(rgb, i, x, y);
            }
        }

        int count = 2 + rng.nextInt(7);
        List<SceneObject> drafts = new ArrayList<>();
        List<Texture> texs = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            Shape shape = Shape.values()[rng.nextInt(Shape.values().length)];
            double r = size * (0.06 + 0.26 * Math.pow(rng.nextDouble(), 1.5)); // small to large
            double cx = rng.nextDouble() * size;
            double cy = rng.nextDouble() * size;
            double rot = rng.nextDouble() * 2 * Math.PI;
            double[][] polys = outline(shape, cx, cy, r, rot);
            float z = (float) (0.8 + rng.nextDouble() * 2.0); // always in front of the background (>= 3 m)
            int[] colour = randomColour(rng);
            byte[] full = raster(polys[0], size);
            if (polys[1] != null) {
                byte[] hole = raster(polys[1], size);
                for (int i = 0; i < n; i++) {
                    full[i] = (byte) (full[i] & ~hole[i]);
                }
            }
            Texture tex = Texture.random(rng, colour, shade(colour, rng), size);
            drafts.add(new SceneObject(shape, polys[0], polys[1], colour, z, full, null));
            texs.add(tex);
        }

        // painter's algorithm, far to near; ties broken by creation order
        Integer[] order = new Integer[drafts.size()];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        Arrays.sort(order, Comparator.<Integer>comparingDouble(k -> -drafts.get(k).depthMetres())
                .thenComparingInt(k -> k));
        int[] owner = new int[n];
        Arrays.fill(owner, -1);
        for (int rank = 0; rank < order.length; rank++) {
            SceneObject o = drafts.get(order[rank]);
            Texture t = texs.get(order[rank]);
            int mm = Math.round(o.depthMetres() * 1000);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int i = y * size + x;
                    if (o.fullMask()[i] != 0) {
                        owner[i] = rank;
                        semantic[i] = o.shape().classId();
                        // a slight per-object tilt so depth is not piecewise constant
                        depth[i] = mm + (int) Math.round(20.0 * (y - size / 2.0) / size);
                        t.paint(rgb, i, x, y);
                    }
                }
            }
        }
        List<SceneObject> objects = new ArrayList<>();
        for (int rank = 0; rank < order.length; rank++) {
            SceneObject o = drafts.get(order[rank]);
            byte[] vis = new byte[n];
            for (int i = 0; i < n; i++) {
                vis[i] = (byte) (owner[i] == rank ? 1 : 0);
            }
            objects.add(new SceneObject(o.shape(), o.outer(), o.hole(), o.rgb(), o.depthMetres(), o.fullMask(), vis));
        }
        return new Scene(id, size, rgb, semantic, depth, List.copyOf(objects));
    }

    /** Row-major 0/1 mask of a polygon, rasterised exactly as pycocotools does. */
    static byte[] raster(double[] xy, int size) {
        Rle rle = PolygonRasterizer.rasterize(xy, size, size);
        return RleCodec.decodeRowMajor(rle);
    }

    /** The outer polygon and, for the ring, the hole, as COCO {@code [x0, y0, x1, y1, ...]} (rounded to 0.01). */
    static double[][] outline(Shape shape, double cx, double cy, double r, double rot) {
        return switch (shape) {
            case DISC -> new double[][] {regular(cx, cy, r, 32, rot, 1.0), null};
            case SQUARE -> new double[][] {regular(cx, cy, r * 1.2, 4, rot, 1.0), null};
            case TRIANGLE -> new double[][] {regular(cx, cy, r * 1.3, 3, rot, 1.0), null};
            case RING -> new double[][] {regular(cx, cy, r, 32, rot, 1.0), regular(cx, cy, r * 0.55, 32, rot, 1.0)};
            case STAR -> new double[][] {star(cx, cy, r * 1.25, rot), null};
        };
    }

    private static double[] regular(double cx, double cy, double r, int k, double rot, double scale) {
        double[] xy = new double[2 * k];
        for (int j = 0; j < k; j++) {
            double a = rot + 2 * Math.PI * j / k;
            xy[2 * j] = round2(cx + scale * r * Math.cos(a));
            xy[2 * j + 1] = round2(cy + scale * r * Math.sin(a));
        }
        return xy;
    }

    private static double[] star(double cx, double cy, double r, double rot) {
        double[] xy = new double[20];
        for (int j = 0; j < 10; j++) {
            double a = rot + Math.PI * j / 5;
            double rr = j % 2 == 0 ? r : r * 0.42;
            xy[2 * j] = round2(cx + rr * Math.cos(a));
            xy[2 * j + 1] = round2(cy + rr * Math.sin(a));
        }
        return xy;
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static int[] randomColour(SplittableRandom rng) {
        return new int[] {rng.nextInt(256), rng.nextInt(256), rng.nextInt(256)};
    }

    private static int[] shade(int[] c, SplittableRandom rng) {
        double f = 0.4 + rng.nextDouble() * 0.4;
        int[] out = new int[3];
        boolean darker = rng.nextBoolean(); // luminance contrast, same hue (as real textures mostly are)
        for (int i = 0; i < 3; i++) {
            out[i] = darker ? (int) (c[i] * f) : (int) (255 - (255 - c[i]) * f);
        }
        return out;
    }

    /** A two-colour texture: solid with noise, stripes, checkerboard or dots; deterministic per pixel. */
    record Texture(int kind, int[] a, int[] b, double period, double angle, long noiseSeed) {

        static Texture random(SplittableRandom rng, int[] a, int[] b, int size) {
            return new Texture(rng.nextInt(4), a, b, size * (0.07 + rng.nextDouble() * 0.13),
                    rng.nextDouble() * Math.PI, rng.nextLong());
        }

        void paint(byte[] rgb, int i, int x, int y) {
            double u = x * Math.cos(angle) + y * Math.sin(angle);
            double v = -x * Math.sin(angle) + y * Math.cos(angle);
            boolean second = switch (kind) {
                case 0 -> false;
                case 1 -> Math.floorMod((long) Math.floor(u / period), 2L) == 1;
                case 2 -> (Math.floorMod((long) Math.floor(u / period), 2L)
                        + Math.floorMod((long) Math.floor(v / period), 2L)) % 2 == 1;
                default -> {
                    double fu = u / period - Math.floor(u / period) - 0.5;
                    double fv = v / period - Math.floor(v / period) - 0.5;
                    yield fu * fu + fv * fv < 0.09;
                }
            };
            int[] c = second ? b : a;
            int noise = (int) (mix(noiseSeed, i) >>> 60) - 8; // -8..7
            for (int ch = 0; ch < 3; ch++) {
                rgb[3 * i + ch] = (byte) Math.max(0, Math.min(255, c[ch] + noise));
            }
        }
    }
}
