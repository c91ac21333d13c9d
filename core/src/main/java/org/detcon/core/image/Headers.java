package org.detcon.core.image;

import java.util.zip.CRC32;

import org.detcon.core.image.ImageDecodeException.Reason;

/** Structural checks and header parsing done on the encoded bytes before a decoder is involved. */
final class Headers {

    private Headers() {
    }

    /** What the JPEG marker segments before the first scan say. */
    record JpegInfo(int width, int height, int components, int precision, int sofMarker, int adobeTransform,
                    boolean jfif, int[] componentIds, int firstScanOffset) {
        /** adobeTransform is -1 when there is no Adobe APP14 segment. */
        boolean hasAdobe() {
            return adobeTransform >= 0;
        }

        /**
         * Whether a 3-component JPEG stores YCbCr (else RGB), decided as libjpeg does: JFIF means YCbCr; an Adobe
         * marker means RGB for transform 0, else YCbCr; otherwise component ids 'R','G','B' mean RGB.
         */
        boolean threeComponentYcc() {
            if (jfif) {
                return true;
            }
            if (hasAdobe()) {
                return adobeTransform != 0;
            }
            return !(componentIds.length == 3 && componentIds[0] == 'R' && componentIds[1] == 'G'
                    && componentIds[2] == 'B');
        }
    }

    /** The PNG IHDR fields. */
    record PngInfo(int width, int height, int bitDepth, int colorType, int interlace) {
        boolean grayscale() {
            return colorType == 0 || colorType == 4;
        }
    }

    private static int u8(byte[] d, int i) {
        return d[i] & 0xFF;
    }

    private static int u16(byte[] d, int i) {
        return (u8(d, i) << 8) | u8(d, i + 1);
    }

    private static long u32(byte[] d, int i) {
        return ((long) u16(d, i) << 16) | u16(d, i + 2);
    }

    /** Walks the marker segments up to the first SOS; rejects truncated or malformed headers. */
    static JpegInfo parseJpeg(byte[] d, int len, String name) throws ImageDecodeException {
        int pos = 2; // after SOI
        int width = -1, height = -1, components = -1, precision = -1, sof = -1, adobe = -1;
        boolean jfif = false;
        int[] ids = new int[0];
        while (true) {
            // find the next marker: 0xFF, optional fill bytes 0xFF, then the marker code
            if (pos >= len) {
                throw new ImageDecodeException(name, Reason.TRUNCATED,
                        "JPEG ends inside its header, before any image data (" + len + " bytes)");
            }
            if (u8(d, pos) != 0xFF) {
                throw new ImageDecodeException(name, Reason.CORRUPT, String.format(
                        "JPEG header is malformed: expected a marker at byte %d, found 0x%02X", pos, u8(d, pos)));
            }
            while (pos < len && u8(d, pos) == 0xFF) {
                pos++;
            }
            if (pos >= len) {
                throw new ImageDecodeException(name, Reason.TRUNCATED, "JPEG ends inside its header");
            }
            int marker = u8(d, pos++);
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // standalone markers
            }
            if (marker == 0xD8 || marker == 0xD9 || marker == 0x00) {
                throw new ImageDecodeException(name, Reason.CORRUPT, String.format(
                        "JPEG header is malformed: unexpected marker 0xFF%02X at byte %d", marker, pos - 2));
            }
            if (pos + 2 > len) {
                throw new ImageDecodeException(name, Reason.TRUNCATED, "JPEG ends inside its header");
            }
            int segLen = u16(d, pos);
            if (segLen < 2) {
                throw new ImageDecodeException(name, Reason.CORRUPT,
                        String.format("JPEG segment 0xFF%02X at byte %d has invalid length %d", marker, pos - 2, segLen));
            }
            if (pos + segLen > len) {
                throw new ImageDecodeException(name, Reason.TRUNCATED,
                        String.format("JPEG ends inside header segment 0xFF%02X at byte %d", marker, pos - 2));
            }
            int body = pos + 2;
            boolean isSof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (isSof) {
                if (segLen < 8) {
                    throw new ImageDecodeException(name, Reason.CORRUPT, "JPEG frame header (SOF) is too short");
                }
                if (sof >= 0) {
                    throw new ImageDecodeException(name, Reason.CORRUPT, "JPEG has more than one frame header (SOF)");
                }
                sof = marker;
                precision = u8(d, body);
                height = u16(d, body + 1);
                width = u16(d, body + 3);
                components = u8(d, body + 5);
                if (segLen < 8 + 3 * components) {
                    throw new ImageDecodeException(name, Reason.CORRUPT, "JPEG frame header (SOF) is too short for "
                            + components + " components");
                }
                ids = new int[components];
                for (int c = 0; c < components; c++) {
                    ids[c] = u8(d, body + 6 + 3 * c);
                }
            } else if (marker == 0xEE && segLen >= 14 && d[body] == 'A' && d[body + 1] == 'd' && d[body + 2] == 'o'
                    && d[body + 3] == 'b' && d[body + 4] == 'e') {
                adobe = u8(d, body + 11);
            } else if (marker == 0xE0 && segLen >= 7 && d[body] == 'J' && d[body + 1] == 'F' && d[body + 2] == 'I'
                    && d[body + 3] == 'F' && d[body + 4] == 0) {
                jfif = true;
            } else if (marker == 0xDA) {
                if (sof < 0) {
                    throw new ImageDecodeException(name, Reason.CORRUPT, "JPEG scan (SOS) comes before any frame header (SOF)");
                }
                return new JpegInfo(width, height, components, precision, sof, adobe, jfif, ids, pos - 2);
            }
            pos += segLen;
        }
    }

    /**
     * Whether an EOI marker (FF D9) follows the first scan. Inside entropy-coded data every 0xFF is followed by 0x00
     * or an RSTn marker, so FF D9 after the first SOS can only be the real end of image (trailing bytes after it are
     * tolerated).
     */
    static boolean jpegHasEoi(byte[] d, int len, int firstScanOffset) {
        for (int i = len - 2; i >= firstScanOffset; i--) {
            if (d[i + 1] == (byte) 0xD9 && d[i] == (byte) 0xFF) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads IHDR and walks the chunk list up to IEND, checking lengths and the CRCs of critical chunks. Ancillary
     * chunks' CRCs are not checked (real-world files get those wrong harmlessly).
     */
    static PngInfo parsePng(byte[] d, int len, String name) throws ImageDecodeException {
        if (len < 8 + 8 + 13 + 4) {
            throw new ImageDecodeException(name, Reason.TRUNCATED, "PNG ends before its IHDR header is complete ("
                    + len + " bytes)");
        }
        if (u32(d, 8) != 13 || d[12] != 'I' || d[13] != 'H' || d[14] != 'D' || d[15] != 'R') {
            throw new ImageDecodeException(name, Reason.CORRUPT, "PNG does not start with a valid IHDR chunk");
        }
        long w = u32(d, 16), h = u32(d, 20);
        int bitDepth = u8(d, 24), colorType = u8(d, 25), interlace = u8(d, 28);
        if (w == 0 || h == 0 || w > Integer.MAX_VALUE || h > Integer.MAX_VALUE) {
            throw new ImageDecodeException(name, Reason.CORRUPT, "PNG IHDR declares invalid size " + w + "x" + h);
        }
        boolean validDepth = switch (colorType) {
            case 0 -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8 || bitDepth == 16;
            case 3 -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8;
            case 2, 4, 6 -> bitDepth == 8 || bitDepth == 16;
            default -> false;
        };
        if (!validDepth || u8(d, 26) != 0 || u8(d, 27) != 0 || interlace > 1) {
            throw new ImageDecodeException(name, Reason.CORRUPT, "PNG IHDR has an invalid combination: colour type "
                    + colorType + ", bit depth " + bitDepth + ", compression " + u8(d, 26) + ", filter " + u8(d, 27)
                    + ", interlace " + interlace);
        }
        // chunk walk
        int pos = 8;
        boolean sawIdat = false;
        CRC32 crc = new CRC32();
        while (true) {
            if (pos + 12 > len) {
                throw new ImageDecodeException(name, Reason.TRUNCATED, "PNG ends " + (sawIdat ? "inside its image data"
                        : "before its image data") + " (no IEND chunk; " + len + " bytes)");
            }
            long chunkLen = u32(d, pos);
            if (chunkLen > Integer.MAX_VALUE || pos + 12 + chunkLen > len) {
                if (chunkLen > Integer.MAX_VALUE) {
                    throw new ImageDecodeException(name, Reason.CORRUPT, "PNG chunk at byte " + pos
                            + " declares an impossible length " + chunkLen);
                }
                throw new ImageDecodeException(name, Reason.TRUNCATED, "PNG ends inside the "
                        + chunkType(d, pos + 4) + " chunk at byte " + pos + " (" + len + " bytes)");
            }
            int n = (int) chunkLen;
            boolean critical = (d[pos + 4] & 0x20) == 0;
            if (critical) {
                crc.reset();
                crc.update(d, pos + 4, 4 + n);
                if (crc.getValue() != u32(d, pos + 8 + n)) {
                    throw new ImageDecodeException(name, Reason.CORRUPT, "PNG " + chunkType(d, pos + 4)
                            + " chunk at byte " + pos + " fails its CRC check");
                }
            }
            String type = chunkType(d, pos + 4);
            if (type.equals("IDAT")) {
                sawIdat = true;
            } else if (type.equals("IEND")) {
                if (!sawIdat) {
                    throw new ImageDecodeException(name, Reason.CORRUPT, "PNG has no image data (IDAT) chunk");
                }
                return new PngInfo((int) w, (int) h, bitDepth, colorType, interlace);
            }
            pos += 12 + n;
        }
    }

    private static String chunkType(byte[] d, int at) {
        char[] c = new char[4];
        for (int i = 0; i < 4; i++) {
            int b = d[at + i] & 0xFF;
            c[i] = (b >= 0x20 && b < 0x7F) ? (char) b : '?';
        }
        return new String(c);
    }
}
