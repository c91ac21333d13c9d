package org.detcon.core.shard;

/** How a mask set is stored in a sample. */
public enum MaskFormat {
    /** {@code KEY.<set>.png}: a 16-bit grayscale label map at image resolution (a partition of the image). */
    LABEL_PNG("png"),
    /** {@code KEY.<set>.json}: a JSON list of COCO RLE masks, which may overlap. */
    RLE_JSON("json");

    private final String extension;

    MaskFormat(String extension) {
        this.extension = extension;
    }

    /** The file extension, also the value of "format" in {@code KEY.json}. */
    public String extension() {
        return extension;
    }

    public static MaskFormat fromExtension(String ext) {
        for (MaskFormat f : values()) {
            if (f.extension.equals(ext)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown mask format '" + ext + "' (expected png or json)");
    }
}
