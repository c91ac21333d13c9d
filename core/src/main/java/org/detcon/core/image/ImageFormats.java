package org.detcon.core.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** Recognises supported images by content (magic bytes) or, for folder listings, by file name. */
public final class ImageFormats {

    /** Bytes needed by {@link #detect(byte[])}. */
    public static final int MAGIC_LENGTH = 8;

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private ImageFormats() {
    }

    /** The format the leading bytes identify; empty when neither JPEG ({@code FF D8 FF}) nor PNG (8-byte signature). */
    public static Optional<ImageFormat> detect(byte[] head) {
        return detect(head, head == null ? 0 : head.length);
    }

    /** As {@link #detect(byte[])}, looking only at the first {@code length} bytes. */
    public static Optional<ImageFormat> detect(byte[] head, int length) {
        if (head == null) {
            return Optional.empty();
        }
        int n = Math.min(length, head.length);
        if (n >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8 && (head[2] & 0xFF) == 0xFF) {
            return Optional.of(ImageFormat.JPEG);
        }
        if (n >= PNG_SIGNATURE.length) {
            for (int i = 0; i < PNG_SIGNATURE.length; i++) {
                if (head[i] != PNG_SIGNATURE[i]) {
                    return Optional.empty();
                }
            }
            return Optional.of(ImageFormat.PNG);
        }
        return Optional.empty();
    }

    /** Whether the leading bytes are a supported image's. */
    public static boolean isSupported(byte[] head) {
        return detect(head).isPresent();
    }

    /** Sniffs a file's first bytes; empty when unreadable or not a supported image. */
    public static Optional<ImageFormat> detect(Path file) {
        byte[] head = new byte[MAGIC_LENGTH];
        try (InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(head, 0, head.length);
            return detect(head, n);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The format a file name's extension suggests ({@code .jpg .jpeg .jpe .jfif .png}, case-insensitive). Cheap, for
     * filtering folder listings; the decoder itself always goes by content.
     */
    public static Optional<ImageFormat> fromFileName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        String base = name.substring(slash + 1);
        int dot = base.lastIndexOf('.');
        if (dot <= 0 || dot == base.length() - 1) {
            return Optional.empty();
        }
        switch (base.substring(dot + 1).toLowerCase(Locale.ROOT)) {
            case "jpg":
            case "jpeg":
            case "jpe":
            case "jfif":
                return Optional.of(ImageFormat.JPEG);
            case "png":
                return Optional.of(ImageFormat.PNG);
            default:
                return Optional.empty();
        }
    }

    /** Whether a file name has a supported image extension. */
    public static boolean isSupportedName(String name) {
        return fromFileName(name).isPresent();
    }
}
