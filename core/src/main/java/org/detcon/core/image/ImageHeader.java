package org.detcon.core.image;

/**
 * What an image's header says, read without decoding the raster.
 *
 * @param channels the channel count {@link ImageDecoder} will produce: 1 for grayscale sources, else 3
 */
public record ImageHeader(ImageFormat format, int width, int height, int channels) {

    public long pixelCount() {
        return (long) width * height;
    }
}
