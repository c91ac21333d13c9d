package org.detcon.orchestration.synth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.detcon.core.mask.PolygonRasterizer;
import org.detcon.core.mask.Rle;
import org.detcon.core.mask.RleCodec;

/**
 * Draws one deterministic scene of a gray world seen by a camera standing on a ground plane: a wall at the back,
 * the floor in front of it, and 2-4 objects of five shape classes standing on the floor. Depth follows perspective
 * (a pinhole camera 1.5 m above the floor, focal length = image side): the floor's depth grows towards the horizon,
 * an object's depth is that of the floor where it stands and its size in the image shrinks with depth, so position,
 * size and the scale of the surface patterns are depth cues. Each class has its own surface pattern (disc
 * checkered, square striped, triangle plain, ring dotted, star in concentric bands) in one gray ink per image,
 * darker or lighter than the floor and the wall, each object a little brighter or darker than the others, so that
 * shape and pattern, not colour, tell the classes and the objects apart (contrastive learning separates images by
 * colour first, which teaches nothing about shape in a few minutes of CPU training; the learning-signal bench's
 * {@code Shapes} showed it). Objects are painted far to near (nearer objects occlude farther ones). {@link Style}
 * changes the number of objects, the colours, the patterns' strength and the objects' size.
 *
 * <p>Every shape is rasterised with the project's pycocotools-exact {@link PolygonRasterizer}, so an object's mask
 * is exactly what a COCO reader gets back from its polygons (the ring is the outer polygon minus the inner one).
 * The scene depends only on {@code (seed, split, index, size, style)}.
 */
public final class SceneGenerator {

    /** Semantic classes; class id = ordinal + 1 (0 = background). */
    public enum Shape {
        DISC, SQUARE, TRIANGLE, RING, STAR;

        public int classId() {
            return ordinal() + 1;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final int NUM_CLASSES = Shape.values().length + 1;

    /** Camera height above the floor (metres); the focal length is the image side in pixels. */
    static final double CAMERA_HEIGHT = 1.5;

    /**
     * The scenes' knobs, written {@code objects=2-4,gray=true,pattern=0.2,floor=0.05,scale=1.0,ink=image}: objects
     * per scene (min-max); a gray world, or random colours for the wall, the floor and the inks; the amplitude of the
     * class patterns and of the floor's tiles (fractions of the 0..1 intensity range); the objects' size in the world
     * (a factor on 0.3-0.6 m); one ink per image (each object a little brighter or darker, so that within an image
     * objects differ by shape and pattern) or one per object.
     */
    public record Style(int minObjects, int maxObjects, boolean gray, double pattern, double floor, double scale,
            boolean inkPerImage) {
        /** {@link #DEFAULT} as text (a constant, for command-line help). */
        public static final String DEFAULT_TEXT = "objects=2-4,gray=true,pattern=0.2,floor=0.05,scale=1.0,ink=image";
        /** The scenes of {@code detcon data synth} and of the sweeps' data step (the quickstart's). */
        public static final Style DEFAULT = new Style(2, 4, true, 0.2, 0.05, 1.0, true);

        public Style {
            if (minObjects < 1 || maxObjects < minObjects || maxObjects > 64 || !(pattern >= 0 && pattern <= 0.5)
                    || !(floor >= 0 && floor <= 0.5) || !(scale > 0 && scale <= 4)) {
                throw new IllegalArgumentException("scene style: need 1 <= objects min <= max <= 64, pattern and "
                        + "floor in [0, 0.5], scale in (0, 4]");
            }
        }

        /** Parses {@code key=value,...} with any subset of {@link #text()}'s keys; the others as {@link #DEFAULT}. */
        public static Style parse(String text) {
            Map<String, String> v = pairs(DEFAULT_TEXT);
            if (text != null && !text.isBlank()) {
                for (Map.Entry<String, String> e : pairs(text).entrySet()) {
                    if (!v.containsKey(e.getKey())) {
                        throw new IllegalArgumentException("scene style: unknown key '" + e.getKey() + "' (known: "
                                + String.join(", ", v.keySet()) + ")");
                    }
                    v.put(e.getKey(), e.getValue());
                }
            }
            String[] objects = v.get("objects").split("-", 2);
            String ink = v.get("ink");
            if (!ink.equals("image") && !ink.equals("object")) {
                throw new IllegalArgumentException("scene style: ink is image or object, got '" + ink + "'");
            }
            String gray = v.get("gray");
            if (!gray.equals("true") && !gray.equals("false")) {
                throw new IllegalArgumentException("scene style: gray is true or false, got '" + gray + "'");
            }
            return new Style(integer("objects", objects[0]), integer("objects", objects[objects.length - 1]),
                    gray.equals("true"), number("pattern", v.get("pattern")), number("floor", v.get("floor")),
                    number("scale", v.get("scale")), ink.equals("image"));
        }

        /** The canonical text form (parses back to this style). */
        public String text() {
            return String.format(Locale.ROOT, "objects=%d-%d,gray=%s,pattern=%s,floor=%s,scale=%s,ink=%s",
                    minObjects, maxObjects, gray, pattern, floor, scale, inkPerImage ? "image" : "object");
        }

        private static Map<String, String> pairs(String text) {
            Map<String, String> m = new LinkedHashMap<>();
            for (String kv : text.split(",")) {
                String[] p = kv.split("=", 2);
                if (p.length != 2 || p[0].isBlank()) {
                    throw new IllegalArgumentException("scene style: expected key=value, got '" + kv.strip() + "'");
                }
                m.put(p[0].strip(), p[1].strip());
            }
            return m;
        }

        private static int integer(String key, String v) {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("scene style: " + key + " needs whole numbers, got '" + v + "'");
            }
        }

        private static double number(String key, String v) {
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("scene style: " + key + " needs a number, got '" + v + "'");
            }
        }
    }

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
        return draw(seed, split, index, size, Style.DEFAULT);
    }

    public static Scene draw(long seed, String split, int index, int size, Style style) {
        SplittableRandom rng = new SplittableRandom(mix(mix(seed, split.hashCode()), index));
        String id = split + "_" + String.format(Locale.ROOT, "%06d", index);
        int n = size * size;
        double[] lum = new double[n * 3]; // linear 0..1 intensities, RGB
        int[] semantic = new int[n];
        int[] depth = new int[n];

        // camera: horizon row, the wall's distance and the row where the floor meets it
        double f = size;
        double horizon = size * (0.05 + 0.2 * rng.nextDouble());
        double zWall = 6.0 + 3.0 * rng.nextDouble();
        double wallRow = horizon + f * CAMERA_HEIGHT / zWall;
        double pan = size * (rng.nextDouble() - 0.5);
        double[] wall = surface(rng, style);
        double[] floor = surface(rng, style);
        if (style.gray()) {
            // keep the wall and the floor apart (a visible edge where they meet)
            double d = floor[0] - wall[0];
            if (Math.abs(d) < 0.08) {
                double shift = Math.copySign(0.08, d == 0 ? 1 : d) - d;
                for (int c = 0; c < 3; c++) {
                    floor[c] = clamp01(floor[c] + shift);
                }
            }
        }
        double tile = 0.6; // metres: half a period of the floor's pattern
        double[] shadeDir = {rng.nextDouble() * 2 * Math.PI, rng.nextDouble() * 2 * Math.PI};
        for (int y = 0; y < size; y++) {
            double yc = y + 0.5;
            for (int x = 0; x < size; x++) {
                int i = y * size + x;
                double xc = x + 0.5;
                double z;
                double[] base;
                double t = 0;
                if (yc <= wallRow) {
                    z = zWall;
                    base = wall;
                } else {
                    z = f * CAMERA_HEIGHT / (yc - horizon);
                    base = floor;
                    // soft tiles fixed on the floor: they shrink towards the horizon (a texture gradient)
                    double wx = (xc - size / 2.0 - pan) * z / f;
                    t = style.floor() * Math.sin(Math.PI * wx / tile) * Math.sin(Math.PI * z / tile);
                }
                double shade = 0.03 * Math.sin(2 * Math.PI * (xc * Math.cos(shadeDir[0]) + yc * Math.sin(shadeDir[0]))
                        / (1.5 * size) + shadeDir[1]);
                depth[i] = (int) Math.round(z * 1000);
                for (int c = 0; c < 3; c++) {
                    lum[3 * i + c] = base[c] + t + shade;
                }
            }
        }

        int count = style.minObjects() + rng.nextInt(style.maxObjects() - style.minObjects() + 1);
        double[] imageInk = ink(rng, style);
        List<SceneObject> drafts = new ArrayList<>();
        List<double[]> inks = new ArrayList<>();
        List<double[]> frames = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            Shape shape = Shape.values()[rng.nextInt(Shape.values().length)];
            double radius = style.scale() * (0.3 + 0.3 * rng.nextDouble()); // metres
            // where it stands: a floor row below the wall, then its depth and size in the image follow
            double footRow = wallRow + (size - wallRow) * (0.1 + 0.9 * rng.nextDouble());
            double z = f * CAMERA_HEIGHT / (footRow - horizon);
            double r = f * radius / z;
            double cx = rng.nextDouble() * size;
            double rot = rng.nextDouble() * 2 * Math.PI;
            // it stands on the floor: its lowest point on the foot row
            double bottom = Double.NEGATIVE_INFINITY;
            double[] probe = outline(shape, 0, 0, r, rot)[0];
            for (int j = 1; j < probe.length; j += 2) {
                bottom = Math.max(bottom, probe[j]);
            }
            double cy = footRow - bottom;
            double[][] polys = outline(shape, cx, cy, r, rot);
            byte[] full = raster(polys[0], size);
            if (polys[1] != null) {
                byte[] hole = raster(polys[1], size);
                for (int i = 0; i < n; i++) {
                    full[i] = (byte) (full[i] & ~hole[i]);
                }
            }
            double[] ink = ink(rng, style);
            if (style.inkPerImage()) {
                // one ink per image, each object a little brighter or darker: within an image, objects differ
                // by shape and pattern
                double b = 0.92 + 0.16 * rng.nextDouble();
                for (int c = 0; c < 3; c++) {
                    ink[c] = clamp01(imageInk[c] * b);
                }
            }
            drafts.add(new SceneObject(shape, polys[0], polys[1], toRgb(ink), (float) z, full, null));
            inks.add(ink);
            frames.add(new double[] {cx, cy, r, rot});
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
            double[] ink = inks.get(order[rank]);
            double[] fr = frames.get(order[rank]);
            // the pattern moves away from mid-gray, so it never weakens the object's outline
            double sign = lumaOf(ink) < 0.5 ? -1 : 1;
            int mm = Math.round(o.depthMetres() * 1000);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int i = y * size + x;
                    if (o.fullMask()[i] != 0) {
                        owner[i] = rank;
                        semantic[i] = o.shape().classId();
                        depth[i] = mm;
                        double p = style.pattern() * pattern(o.shape(), x + 0.5 - fr[0], y + 0.5 - fr[1], fr[2],
                                fr[3]);
                        for (int c = 0; c < 3; c++) {
                            lum[3 * i + c] = ink[c] + sign * p;
                        }
                    }
                }
            }
        }
        long noiseSeed = rng.nextLong();
        byte[] rgb = new byte[n * 3];
        for (int i = 0; i < n; i++) {
            int noise = (int) (mix(noiseSeed, i) >>> 60) - 8; // -8..7
            for (int c = 0; c < 3; c++) {
                rgb[3 * i + c] = (byte) Math.max(0, Math.min(255, (int) Math.round(255 * lum[3 * i + c]) + noise));
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

    /** A wall or floor colour: mid-gray (0.42..0.58), or any colour when the style is not gray. */
    private static double[] surface(SplittableRandom rng, Style style) {
        if (style.gray()) {
            double g = 0.42 + 0.16 * rng.nextDouble();
            return new double[] {g, g, g};
        }
        return new double[] {rng.nextDouble(), rng.nextDouble(), rng.nextDouble()};
    }

    /** An object's ink: dark (0.18..0.30) or light (0.70..0.82) gray, or any colour when the style is not gray. */
    private static double[] ink(SplittableRandom rng, Style style) {
        if (style.gray()) {
            double g = rng.nextBoolean() ? 0.18 + 0.12 * rng.nextDouble() : 0.70 + 0.12 * rng.nextDouble();
            return new double[] {g, g, g};
        }
        return new double[] {rng.nextDouble(), rng.nextDouble(), rng.nextDouble()};
    }

    private static double lumaOf(double[] c) {
        return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
    }

    private static int[] toRgb(double[] c) {
        return new int[] {(int) Math.round(255 * clamp01(c[0])), (int) Math.round(255 * clamp01(c[1])),
            (int) Math.round(255 * clamp01(c[2]))};
    }

    private static double clamp01(double v) {
        return Math.max(0, Math.min(1, v));
    }

    /**
     * The class's surface pattern (0..1, smooth, so that it does not cut the object into pieces for a segmenter) at
     * offset (dx, dy) from the object's centre, in the object's frame, with a period proportional to its size (so the
     * pattern, too, shrinks with depth): disc checkered, square striped, triangle plain, ring dotted, star in
     * concentric bands.
     */
    static double pattern(Shape shape, double dx, double dy, double r, double rot) {
        double period = 0.45 * r;
        double u = 2 * Math.PI * (dx * Math.cos(rot) + dy * Math.sin(rot)) / period;
        double v = 2 * Math.PI * (-dx * Math.sin(rot) + dy * Math.cos(rot)) / period;
        return switch (shape) {
            case DISC -> 0.5 + 0.5 * Math.sin(u) * Math.sin(v);
            case SQUARE -> 0.5 + 0.5 * Math.sin(u);
            case TRIANGLE -> 0;
            case RING -> {
                double b = (1 + Math.cos(u)) * (1 + Math.cos(v)) / 4;
                yield b * b;
            }
            case STAR -> 0.5 + 0.5 * Math.sin(Math.sqrt(u * u + v * v));
        };
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
}
