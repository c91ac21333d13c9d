package org.detcon.core.image;

/**
 * Resource limits checked by {@link ImageDecoder} before any pixel memory is allocated.
 *
 * @param maxPixels        largest accepted {@code width * height}, read from the file header before decoding
 * @param maxEncodedBytes  largest accepted encoded input, checked before a file or stream is read into memory
 */
public record DecodeLimits(long maxPixels, long maxEncodedBytes) {

    /** 100 megapixels. */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;
    /** 256 MiB. */
    public static final long DEFAULT_MAX_ENCODED_BYTES = 256L << 20;

    public static final DecodeLimits DEFAULT = new DecodeLimits(DEFAULT_MAX_PIXELS, DEFAULT_MAX_ENCODED_BYTES);

    public DecodeLimits {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
        }
        if (maxEncodedBytes <= 0) {
            throw new IllegalArgumentException("maxEncodedBytes must be positive, got " + maxEncodedBytes);
        }
    }

    /** The default encoded-size limit with the given pixel limit. */
    public static DecodeLimits ofMaxPixels(long maxPixels) {
        return new DecodeLimits(maxPixels, DEFAULT_MAX_ENCODED_BYTES);
    }
}
