package org.detcon.core.mask;

/** Box to RLE, C {@code rleFrBbox}: the polygon of the box's four corners through {@link PolygonRasterizer}. */
public final class BoxRasterizer {

    private BoxRasterizer() {
    }

    /**
     * {@code frBbox([bb], h, w)[0]}.
     *
     * @param bb {@code [x, y, w, h]}
     */
    public static Rle rasterize(double[] bb, int height, int width) {
        if (bb.length < 4) {
            throw new IllegalArgumentException("box needs 4 values [x, y, w, h], got " + bb.length);
        }
        double xs = bb[0];
        double xe = xs + bb[2];
        double ys = bb[1];
        double ye = ys + bb[3];
        return PolygonRasterizer.rasterize(new double[] {xs, ys, xs, ye, xe, ye, xe, ys}, height, width);
    }

    /** {@code frBbox(boxes, h, w)}: one RLE per box {@code [x, y, w, h]}. */
    public static java.util.List<Rle> rasterizeAll(double[][] boxes, int height, int width) {
        java.util.List<Rle> out = new java.util.ArrayList<>(boxes.length);
        for (double[] bb : boxes) {
            out.add(rasterize(bb, height, width));
        }
        return out;
    }
}
