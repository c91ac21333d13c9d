package org.detcon.core.image;

/** The encoded image formats {@link ImageDecoder} accepts. */
public enum ImageFormat {
    JPEG("image/jpeg", "jpg"),
    PNG("image/png", "png");

    private final String mediaType;
    private final String extension;

    ImageFormat(String mediaType, String extension) {
        this.mediaType = mediaType;
        this.extension = extension;
    }

    public String mediaType() {
        return mediaType;
    }

    /** The canonical file extension, without the dot ({@code jpg}, {@code png}); the WebDataset shard suffix. */
    public String extension() {
        return extension;
    }
}
