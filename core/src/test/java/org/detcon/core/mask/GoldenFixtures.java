package org.detcon.core.mask;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Loads {@code /mask/pycocotools-golden.json} (see the README next to it). */
final class GoldenFixtures {

    private static JsonNode root;

    private GoldenFixtures() {
    }

    static synchronized JsonNode root() {
        if (root == null) {
            // -Ddetcon.maskGolden=/path/to/more.json reruns every golden test on a larger fixture of the same format
            String override = System.getProperty("detcon.maskGolden");
            try (InputStream in = override != null ? java.nio.file.Files.newInputStream(java.nio.file.Path.of(override))
                    : GoldenFixtures.class.getResourceAsStream("/mask/pycocotools-golden.json")) {
                root = new ObjectMapper().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    static int[] uints(JsonNode arr) {
        int[] out = new int[arr.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) arr.get(i).asLong();
        }
        return out;
    }

    static double[] doubles(JsonNode arr) {
        double[] out = new double[arr.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = arr.get(i).asDouble();
        }
        return out;
    }

    static Rle rle(JsonNode o) {
        return new Rle(o.get("h").asInt(), o.get("w").asInt(), uints(o.get("counts")));
    }
}
