package org.detcon.core.coco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import org.detcon.core.mask.Rle;
import org.junit.jupiter.api.Test;

/** annToRLE of polygon lists (frPyObjects + merge), against the pycocotools golden fixture. */
class CocoSegmentationsGoldenTest {

    @Test
    void polygonListsMergeLikePycocotools() throws Exception {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/mask/pycocotools-golden.json")) {
            root = new ObjectMapper().readTree(in);
        }
        JsonNode cases = root.get("segmentations");
        assertTrue(cases.size() >= 20);
        for (JsonNode c : cases) {
            JsonNode pl = c.get("polygons");
            double[][] polys = new double[pl.size()][];
            for (int i = 0; i < polys.length; i++) {
                polys[i] = new double[pl.get(i).size()];
                for (int k = 0; k < polys[i].length; k++) {
                    polys[i][k] = pl.get(i).get(k).asDouble();
                }
            }
            Rle r = CocoSegmentations.toRle(new CocoSegmentation.Polygons(polys), c.get("h").asInt(),
                    c.get("w").asInt());
            int[] expected = new int[c.get("counts").size()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = (int) c.get("counts").get(i).asLong();
            }
            assertArrayEquals(expected, r.counts(), () -> "segmentation " + c);
            assertEquals(c.get("string").asText(), r.toCocoString());
        }
    }

    @Test
    void uncompressedCountsGoThroughTheStringCodecLikePycocotools() {
        // counts >= 2^29 are altered by rleFrString's 32-bit shifts; pycocotools' frUncompressedRLE applies that
        int[] counts = {1 << 30, 5};
        Rle r = CocoSegmentations.toRle(new CocoSegmentation.UncompressedRle(1, 1, counts), 7, 7);
        assertEquals(r, org.detcon.core.mask.RleString.decode(
                org.detcon.core.mask.RleString.encode(new Rle(1, 1, counts)), 1, 1));
    }
}
