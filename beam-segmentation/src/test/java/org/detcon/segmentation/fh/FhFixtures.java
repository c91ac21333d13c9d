package org.detcon.segmentation.fh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;
import org.detcon.core.image.Image8;

/** Loads the skimage fixtures written by tools/fixtures/make_fh_fixtures.py (test resources under /fh). */
final class FhFixtures {

    record Case(String image, Image8 input, FhParams params, int expectedSegments, int[] expected) {
        String id() {
            return image + " scale=" + params.scale() + " sigma=" + params.sigma() + " min_size=" + params.minSize();
        }
    }

    private static List<Case> cached;

    private FhFixtures() {
    }

    static synchronized List<Case> all() {
        if (cached == null) {
            try {
                cached = load();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cached;
    }

    private static List<Case> load() throws IOException {
        JsonNode index;
        try (InputStream in = resource("index.json")) {
            index = new ObjectMapper().readTree(in);
        }
        byte[] raw;
        try (InputStream in = new GZIPInputStream(resource(index.get("labels").asText()))) {
            raw = in.readAllBytes();
        }
        List<Case> out = new ArrayList<>();
        for (JsonNode img : index.get("images")) {
            String name = img.get("name").asText();
            Image8 input = readPng(img.get("png").asText(), img.get("channels").asInt());
            if (input.width() != img.get("width").asInt() || input.height() != img.get("height").asInt()) {
                throw new IllegalStateException("fixture " + name + " size differs from index");
            }
            int n = input.width() * input.height();
            for (JsonNode c : img.get("cases")) {
                FhParams p = new FhParams(c.get("scale").asDouble(), c.get("sigma").asDouble(),
                        c.get("min_size").asInt());
                int off = c.get("offset").asInt();
                int[] labels = new int[n];
                for (int i = 0; i < n; i++) {
                    int b = 2 * (off + i);
                    labels[i] = (raw[b] & 0xFF) | (raw[b + 1] & 0xFF) << 8;
                }
                out.add(new Case(name, input, p, c.get("n_segments").asInt(), labels));
            }
        }
        return out;
    }

    private static InputStream resource(String path) throws IOException {
        InputStream in = FhFixtures.class.getResourceAsStream("/fh/" + path);
        if (in == null) {
            throw new IOException("missing test resource /fh/" + path);
        }
        return in;
    }

    /** Decodes an 8-bit gray or RGB PNG to raw samples (no colour conversion). */
    static Image8 readPng(String path, int channels) throws IOException {
        BufferedImage bi;
        try (InputStream in = resource(path)) {
            bi = ImageIO.read(in);
        }
        Raster r = bi.getRaster();
        if (r.getNumBands() != channels) {
            throw new IllegalStateException(path + ": " + r.getNumBands() + " bands, expected " + channels);
        }
        int w = bi.getWidth();
        int h = bi.getHeight();
        int[] s = r.getPixels(0, 0, w, h, (int[]) null);
        byte[] px = new byte[s.length];
        for (int i = 0; i < s.length; i++) {
            px[i] = (byte) s[i];
        }
        return new Image8(w, h, channels, px);
    }

}
