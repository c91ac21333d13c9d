package org.detcon.eval.data;

import java.nio.file.Path;
import org.detcon.core.image.Image8;
import org.detcon.core.labelmap.LabelMap;

/** Shared checks for label-map files of segmentation datasets. */
public final class SegLabels {

    private SegLabels() {
    }

    /** Fails unless the label raster has the image's size. */
    public static void checkSize(Path labelFile, IntRaster label, Path imageFile, Image8 image) {
        if (label.width() != image.width() || label.height() != image.height()) {
            throw new MalformedDataException(labelFile, "label size", label.width() + "x" + label.height()
                    + " but the image " + imageFile.getFileName() + " is " + image.width() + "x" + image.height());
        }
    }

    /** The raster as a label map, failing on any value outside [0, numClasses) other than {@code ignore}. */
    public static LabelMap checkedClassIds(Path labelFile, IntRaster raster, int numClasses, int ignore) {
        int[] v = raster.values();
        for (int i = 0; i < v.length; i++) {
            int c = v[i];
            if ((c < 0 || c >= numClasses) && c != ignore) {
                throw new MalformedDataException(labelFile, "label value", "pixel (x=" + (i % raster.width())
                        + ", y=" + (i / raster.width()) + ") has " + c + "; expected a class id in [0, " + numClasses
                        + ") or the ignore value " + ignore);
            }
        }
        return new LabelMap(raster.width(), raster.height(), v);
    }
}
