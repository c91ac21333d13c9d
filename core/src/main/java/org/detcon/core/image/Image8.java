package org.detcon.core.image;

import java.util.Objects;

/**
 * A decoded 8-bit image: {@code channels} interleaved samples per pixel (1 = grayscale, 3 = RGB), rows top to
 * bottom, pixels left to right. Sample of channel c at (y, x) is {@code pixels[(y * width + x) * channels + c] & 0xFF}.
 * The array is owned by the record; callers must not mutate it after construction.
 */
public record Image8(int width, int height, int channels, byte[] pixels) {

    public Image8 {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 (gray) or 3 (RGB), got " + channels);
        }
        Objects.requireNonNull(pixels, "pixels");
        if ((long) width * height * channels != pixels.length) {
            throw new IllegalArgumentException("pixel buffer has " + pixels.length + " samples, expected "
                    + ((long) width * height * channels) + " for " + width + "x" + height + "x" + channels);
        }
    }

    public int sample(int y, int x, int c) {
        return pixels[(y * width + x) * channels + c] & 0xFF;
    }

    public long pixelCount() {
        return (long) width * height;
    }

    /** This image as 3-channel RGB (grayscale replicated); returns itself when already RGB. */
    public Image8 toRgb() {
        if (channels == 3) {
            return this;
        }
        byte[] rgb = new byte[pixels.length * 3];
        for (int i = 0, j = 0; i < pixels.length; i++, j += 3) {
            rgb[j] = rgb[j + 1] = rgb[j + 2] = pixels[i];
        }
        return new Image8(width, height, 3, rgb);
    }
}
