package org.detcon.trainer.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.detcon.core.image.Image8;
import org.detcon.core.image.ImageDecodeException;
import org.detcon.core.image.ImageDecoder;
import org.detcon.core.labelmap.LabelMap;
import org.detcon.core.mask.Rle;
import org.detcon.core.mask.RleCodec;
import org.detcon.core.mask.RleString;
import org.detcon.core.shard.MaskFormat;
import org.detcon.core.shard.MaskSetInfo;
import org.detcon.core.shard.RleMask;
import org.detcon.core.shard.ShardSample;

/**
 * Turns a shard sample into an {@link Example}: decodes the image (RGB) and the chosen mask set, a label-map PNG
 * ({@code fh-s1000}, {@code grid-5}, ...) as a partition or a JSON list of COCO RLE masks ({@code gt}) as an
 * overlapping set. When the sample has no stored set of that name, a {@code grid-N} name is made on the fly, and
 * {@code gridFallback > 0} makes an n×n grid for any missing set; otherwise the sample is refused. A null mask set
 * means no masks are needed (BYOL, SimCLR): the image gets the global mask. Thread-safe.
 */
public final class ExampleDecoder {

    private static final Pattern GRID = Pattern.compile("grid-(\\d+)");

    private final String maskSet;
    private final int gridFallback;
    private final ImageDecoder images = ImageDecoder.withDefaults();

    public ExampleDecoder(String maskSet, int gridFallback) {
        if (gridFallback < 0) {
            throw new IllegalArgumentException("grid fallback must be >= 0, got " + gridFallback);
        }
        this.maskSet = maskSet;
        this.gridFallback = gridFallback;
    }

    /** A sample that cannot be used; the message names the sample and what is wrong. */
    public static final class BadSampleException extends Exception {
        public BadSampleException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public Example decode(ShardSample sample) throws BadSampleException {
        String key = sample.key();
        Image8 image;
        try {
            image = images.decode(sample.image(), sample.imageName()).toRgb();
        } catch (ImageDecodeException | RuntimeException e) {
            throw new BadSampleException("image " + sample.imageName() + " cannot be decoded: " + e.getMessage(), e);
        }
        if (image.width() != sample.metadata().width() || image.height() != sample.metadata().height()) {
            throw new BadSampleException("image " + sample.imageName() + " is " + image.width() + "x"
                    + image.height() + " but its metadata says " + sample.metadata().width() + "x"
                    + sample.metadata().height(), null);
        }
        if (maskSet == null) {
            return Example.grid(key, image, 1);
        }
        MaskSetInfo info = sample.metadata().masks().get(maskSet);
        if (info == null) {
            Matcher m = GRID.matcher(maskSet);
            int n = m.matches() ? Integer.parseInt(m.group(1)) : gridFallback;
            if (n <= 0) {
                throw new BadSampleException("sample " + key + " has no mask set '" + maskSet + "' (it has "
                        + sample.metadata().masks().keySet() + ") and no grid fallback is configured", null);
            }
            return Example.grid(key, image, Math.min(n, Math.min(image.width(), image.height())));
        }
        try {
            if (info.format() == MaskFormat.LABEL_PNG) {
                return Example.partition(key, image, sample.labelMap(maskSet));
            }
            List<RleMask> rles = sample.rleMasks(maskSet);
            List<LabelMap> binary = new ArrayList<>(rles.size());
            for (RleMask r : rles) {
                Rle rle = RleString.decode(r.counts(), r.height(), r.width());
                byte[] bits = RleCodec.decodeRowMajor(rle);
                int[] labels = new int[bits.length];
                for (int i = 0; i < bits.length; i++) {
                    labels[i] = bits[i] != 0 ? 1 : 0;
                }
                binary.add(new LabelMap(r.width(), r.height(), labels));
            }
            return Example.overlapping(key, image, binary);
        } catch (IOException | RuntimeException e) {
            throw new BadSampleException("mask set " + sample.maskName(maskSet) + " cannot be decoded: "
                    + e.getMessage(), e);
        }
    }
}
