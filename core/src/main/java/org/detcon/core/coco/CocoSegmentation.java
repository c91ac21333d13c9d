package org.detcon.core.coco;

import java.util.Arrays;

/**
 * An annotation's {@code segmentation} in one of its three COCO forms. Arrays are owned by the record: callers must
 * not modify what they pass in or get back (no defensive copies, for memory and speed on large datasets).
 */
public sealed interface CocoSegmentation {

    /**
     * A list of polygons {@code [[x0, y0, x1, y1, ...], ...]}, coordinates kept as the doubles JSON parsing gives
     * (pycocotools rasterizes them as {@code np.double}).
     */
    record Polygons(double[][] polygons) implements CocoSegmentation {
        public Polygons {
            if (polygons == null) {
                throw new NullPointerException("polygons");
            }
        }

        public int polygonCount() {
            return polygons.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Polygons p && Arrays.deepEquals(p.polygons, polygons);
        }

        @Override
        public int hashCode() {
            return Arrays.deepHashCode(polygons);
        }

        @Override
        public String toString() {
            return "Polygons" + Arrays.deepToString(polygons);
        }
    }

    /**
     * An uncompressed RLE {@code {"counts": [...], "size": [h, w]}} (COCO uses it for crowd annotations); counts
     * are uint32 bit patterns, as {@code np.array(counts, dtype=np.uint32)} makes them.
     */
    record UncompressedRle(int height, int width, int[] counts) implements CocoSegmentation {
        public UncompressedRle {
            if (counts == null) {
                throw new NullPointerException("counts");
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof UncompressedRle r && r.height == height && r.width == width
                    && Arrays.equals(r.counts, counts);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * height + width) + Arrays.hashCode(counts);
        }

        @Override
        public String toString() {
            return "UncompressedRle[" + height + "x" + width + ", " + counts.length + " runs]";
        }
    }

    /** A compressed RLE {@code {"counts": "<string>", "size": [h, w]}}. */
    record CompressedRle(int height, int width, String counts) implements CocoSegmentation {
        public CompressedRle {
            if (counts == null) {
                throw new NullPointerException("counts");
            }
        }
    }
}
