package org.detcon.core.image;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;

/** Raster to interleaved 8-bit samples, reading the data buffers directly for the common layouts. */
final class Rasters {

    private Rasters() {
    }

    /** 16-bit to 8-bit: round(v / 257); 257 is odd so there are no ties. */
    static int round16(int v) {
        return (v + 128) / 257;
    }

    /** An n-bit sample to 8 bits, round(v * 255 / (2^n - 1)). */
    static int scaleBits(int v, int bits) {
        if (bits == 8) {
            return v;
        }
        if (bits == 16) {
            return round16(v);
        }
        int max = (1 << bits) - 1;
        return (int) ((2L * v * 255 + max) / (2L * max));
    }

    /**
     * The image as {@code outChannels} (1 or 3) interleaved bytes: palette images through their palette, others by
     * taking colour bands 0 (gray) or 0..2 (R, G, B) and ignoring any alpha band.
     */
    static Image8 toImage8(BufferedImage img, int outChannels, int sourceBits) {
        Raster r = img.getRaster();
        int w = r.getWidth(), h = r.getHeight();
        if (img.getColorModel() instanceof IndexColorModel icm) {
            return new Image8(w, h, outChannels, expandPalette(r, icm, outChannels));
        }
        int bands = r.getNumBands();
        int[] want;
        if (outChannels == 1) {
            want = new int[]{0};
        } else if (bands >= 3) {
            want = new int[]{0, 1, 2};
        } else {
            want = new int[]{0, 0, 0}; // gray decoded where RGB was expected: replicate
        }
        return new Image8(w, h, outChannels, extract(r, want, sourceBits));
    }

    private static byte[] expandPalette(Raster r, IndexColorModel icm, int outChannels) {
        int w = r.getWidth(), h = r.getHeight(), size = icm.getMapSize();
        byte[] red = new byte[256], green = new byte[256], blue = new byte[256];
        icm.getReds(red);
        icm.getGreens(green);
        icm.getBlues(blue);
        byte[] out = new byte[w * h * outChannels];
        int[] row = new int[w];
        int o = 0;
        for (int y = 0; y < h; y++) {
            r.getSamples(r.getMinX(), r.getMinY() + y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                int i = row[x];
                if (i >= size) {
                    i = 0; // out-of-range index: PNG says error; ImageIO already clamps, stay safe
                }
                if (outChannels == 1) {
                    out[o++] = red[i];
                } else {
                    out[o++] = red[i];
                    out[o++] = green[i];
                    out[o++] = blue[i];
                }
            }
        }
        return out;
    }

    /**
     * Interleaves the given bands (in the given order) as 8-bit samples. 8-bit byte rasters are copied directly,
     * 16-bit ushort rasters rounded with {@link #round16}; other layouts fall back to row-wise
     * {@link Raster#getSamples} with per-band bit-depth scaling ({@code sourceBits} is used for sub-byte samples).
     */
    static byte[] extract(Raster r, int[] bands, int sourceBits) {
        int w = r.getWidth(), h = r.getHeight(), n = bands.length;
        byte[] out = new byte[w * h * n];
        SampleModel sm = r.getSampleModel();
        DataBuffer db = r.getDataBuffer();
        if (sm instanceof ComponentSampleModel csm
                && (db instanceof DataBufferByte || db instanceof DataBufferUShort)) {
            int ps = csm.getPixelStride(), ss = csm.getScanlineStride();
            int[] bankIdx = csm.getBankIndices(), bandOff = csm.getBandOffsets();
            int x0 = r.getMinX() - r.getSampleModelTranslateX();
            int y0 = r.getMinY() - r.getSampleModelTranslateY();
            int[] base = new int[n];
            for (int c = 0; c < n; c++) {
                int bank = bankIdx[bands[c]];
                base[c] = db.getOffsets()[bank] + y0 * ss + x0 * ps + bandOff[bands[c]];
            }
            if (db instanceof DataBufferByte bytes) {
                byte[][] data = new byte[n][];
                for (int c = 0; c < n; c++) {
                    data[c] = bytes.getData(bankIdx[bands[c]]);
                }
                copyBytes(data, base, ps, ss, w, h, out);
            } else {
                DataBufferUShort shorts = (DataBufferUShort) db;
                short[][] data = new short[n][];
                for (int c = 0; c < n; c++) {
                    data[c] = shorts.getData(bankIdx[bands[c]]);
                }
                int o = 0;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int off = y * ss + x * ps;
                        for (int c = 0; c < n; c++) {
                            out[o++] = (byte) round16(data[c][base[c] + off] & 0xFFFF);
                        }
                    }
                }
            }
            return out;
        }
        // generic fallback: row-wise sample reads, still no per-pixel getRGB
        int[] row = new int[w];
        for (int c = 0; c < n; c++) {
            int bits = sm.getSampleSize(bands[c]);
            if (bits < 8 && sourceBits < 8) {
                bits = sourceBits;
            }
            for (int y = 0; y < h; y++) {
                r.getSamples(r.getMinX(), r.getMinY() + y, w, 1, bands[c], row);
                int o = y * w * n + c;
                for (int x = 0; x < w; x++, o += n) {
                    out[o] = (byte) scaleBits(row[x], bits);
                }
            }
        }
        return out;
    }

    private static void copyBytes(byte[][] data, int[] base, int ps, int ss, int w, int h, byte[] out) {
        int n = data.length;
        if (n == 1) {
            byte[] d = data[0];
            for (int y = 0; y < h; y++) {
                int src = base[0] + y * ss;
                if (ps == 1) {
                    System.arraycopy(d, src, out, y * w, w);
                } else {
                    for (int x = 0, o = y * w; x < w; x++, src += ps) {
                        out[o++] = d[src];
                    }
                }
            }
            return;
        }
        if (n == 3 && data[0] == data[1] && data[1] == data[2]) { // interleaved RGB / BGR / RGBA / ABGR
            byte[] d = data[0];
            int b0 = base[0], b1 = base[1], b2 = base[2];
            if (ps == 3 && b1 == b0 + 1 && b2 == b0 + 2 && ss == 3 * w) {
                System.arraycopy(d, b0, out, 0, 3 * w * h); // already packed RGB
                return;
            }
            int o = 0;
            for (int y = 0; y < h; y++) {
                int row = y * ss;
                for (int x = 0, p = row; x < w; x++, p += ps) {
                    out[o++] = d[b0 + p];
                    out[o++] = d[b1 + p];
                    out[o++] = d[b2 + p];
                }
            }
            return;
        }
        int o = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int off = y * ss + x * ps;
                for (int c = 0; c < n; c++) {
                    out[o++] = data[c][base[c] + off];
                }
            }
        }
    }
}
