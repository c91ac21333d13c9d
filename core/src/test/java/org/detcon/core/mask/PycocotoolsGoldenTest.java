package org.detcon.core.mask;

import static org.detcon.core.mask.GoldenFixtures.doubles;
import static org.detcon.core.mask.GoldenFixtures.rle;
import static org.detcon.core.mask.GoldenFixtures.root;
import static org.detcon.core.mask.GoldenFixtures.uints;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every case of the golden fixture file, produced by pycocotools' C mask API, compared exactly. */
class PycocotoolsGoldenTest {

    @Test
    void polygonsRasterizeExactly() {
        JsonNode cases = root().get("polygons");
        assertTrue(cases.size() > 250);
        for (JsonNode c : cases) {
            Rle r = PolygonRasterizer.rasterize(doubles(c.get("xy")), c.get("h").asInt(), c.get("w").asInt());
            assertArrayEquals(uints(c.get("counts")), r.counts(), () -> "polygon " + c);
            assertEquals(c.get("string").asText(), RleString.encode(r), () -> "polygon string " + c);
        }
    }

    @Test
    void boxesRasterizeExactly() {
        for (JsonNode c : root().get("boxes")) {
            Rle r = BoxRasterizer.rasterize(doubles(c.get("bbox")), c.get("h").asInt(), c.get("w").asInt());
            assertArrayEquals(uints(c.get("counts")), r.counts(), () -> "box " + c);
        }
    }

    @Test
    void masksEncodeDecodeAreaBbox() {
        for (JsonNode c : root().get("masks")) {
            int h = c.get("h").asInt();
            int w = c.get("w").asInt();
            Rle expected = rle(c);
            if (c.has("colMajor")) {
                String bits = c.get("colMajor").asText();
                byte[] col = new byte[bits.length()];
                byte[] row = new byte[bits.length()];
                for (int j = 0; j < col.length; j++) {
                    col[j] = (byte) (bits.charAt(j) - '0');
                    int x = j / h;
                    int y = j % h;
                    row[y * w + x] = col[j];
                }
                assertEquals(expected, RleCodec.encodeColumnMajor(col, h, w), () -> "encode " + c);
                assertEquals(expected, RleCodec.encodeRowMajor(row, h, w), () -> "encode row-major " + c);
                assertArrayEquals(col, RleCodec.decodeColumnMajor(expected), () -> "decode " + c);
                assertArrayEquals(row, RleCodec.decodeRowMajor(expected), () -> "decode row-major " + c);
            }
            assertEquals(expected, RleCodec.encodeColumnMajor(RleCodec.decodeColumnMajor(expected), h, w));
            assertEquals(c.get("string").asText(), RleString.encode(expected), () -> "string " + c);
            assertEquals(expected, RleString.decode(c.get("string").asText(), h, w), () -> "frString " + c);
            assertEquals(c.get("area").asLong(), RleOps.area(expected), () -> "area " + c);
            assertArrayEquals(doubles(c.get("bbox")), RleOps.toBbox(expected), () -> "bbox " + c);
        }
    }

    @Test
    void rawByteValuesEncodeLikeC() {
        for (JsonNode c : root().get("rawMasks")) {
            int[] vals = uints(c.get("colMajorBytes"));
            byte[] col = new byte[vals.length];
            for (int j = 0; j < col.length; j++) {
                col[j] = (byte) vals[j];
            }
            Rle r = RleCodec.encodeColumnMajor(col, c.get("h").asInt(), c.get("w").asInt());
            assertArrayEquals(uints(c.get("counts")), r.counts(), () -> "raw " + c);
        }
    }

    @Test
    void mergesExactly() {
        for (JsonNode c : root().get("merges")) {
            List<Rle> in = new ArrayList<>();
            JsonNode inputs = c.get("inputs");
            for (int i = 0; i < inputs.size(); i++) {
                int h = c.has("sizes") ? c.get("sizes").get(i).get(0).asInt() : c.get("h").asInt();
                int w = c.has("sizes") ? c.get("sizes").get(i).get(1).asInt() : c.get("w").asInt();
                in.add(new Rle(h, w, uints(inputs.get(i))));
            }
            Rle u = RleOps.union(in);
            Rle x = RleOps.intersection(in);
            assertArrayEquals(uints(c.get("union")), u.counts(), () -> "union " + c);
            assertArrayEquals(uints(c.get("intersection")), x.counts(), () -> "intersection " + c);
            assertEquals(c.get("unionSize").get(0).asInt(), u.height());
            assertEquals(c.get("unionSize").get(1).asInt(), u.width());
            assertEquals(c.get("intersectionSize").get(0).asInt(), x.height());
            assertEquals(c.get("intersectionSize").get(1).asInt(), x.width());
        }
    }

    @Test
    void rleIouMatricesExactly() {
        for (JsonNode c : root().get("rleIou")) {
            List<Rle> dt = new ArrayList<>();
            List<Rle> gt = new ArrayList<>();
            c.get("dt").forEach(o -> dt.add(rle(o)));
            c.get("gt").forEach(o -> gt.add(rle(o)));
            boolean[] crowd = new boolean[gt.size()];
            for (int j = 0; j < crowd.length; j++) {
                crowd[j] = c.get("iscrowd").get(j).asBoolean();
            }
            double[][] iou = MaskIou.iou(dt, gt, crowd);
            assertEquals(dt.size(), iou.length);
            for (int i = 0; i < dt.size(); i++) {
                assertArrayEquals(doubles(c.get("iou").get(i)), iou[i], 0.0, () -> "rleIou " + c);
                for (int j = 0; j < gt.size(); j++) {
                    assertEquals(iou[i][j], MaskIou.iou(dt.get(i), gt.get(j), crowd[j]), 0.0);
                }
            }
        }
    }

    @Test
    void bbIouMatricesExactly() {
        for (JsonNode c : root().get("bbIou")) {
            double[][] dt = new double[c.get("dt").size()][];
            double[][] gt = new double[c.get("gt").size()][];
            for (int i = 0; i < dt.length; i++) {
                dt[i] = doubles(c.get("dt").get(i));
            }
            for (int j = 0; j < gt.length; j++) {
                gt[j] = doubles(c.get("gt").get(j));
            }
            boolean[] crowd = new boolean[gt.length];
            for (int j = 0; j < crowd.length; j++) {
                crowd[j] = c.get("iscrowd").get(j).asBoolean();
            }
            double[][] iou = MaskIou.bbIou(dt, gt, crowd);
            for (int i = 0; i < dt.length; i++) {
                assertArrayEquals(doubles(c.get("iou").get(i)), iou[i], 0.0, () -> "bbIou " + c);
            }
        }
    }

    @Test
    void stringCodecIncludingUint32Extremes() {
        for (JsonNode c : root().get("strings")) {
            Rle r = new Rle(1, 1, uints(c.get("counts")));
            String s = RleString.encode(r);
            assertEquals(c.get("string").asText(), s, () -> "toString " + c);
            assertArrayEquals(uints(c.get("decoded")), RleString.decode(s, 1, 1).counts(), () -> "frString " + c);
        }
    }

    @Test
    void areaAndBboxOfArbitraryCounts() {
        for (JsonNode c : root().get("weird")) {
            Rle r = rle(c);
            assertEquals(c.get("area").asLong(), RleOps.area(r), () -> "area " + c);
            assertArrayEquals(doubles(c.get("bbox")), RleOps.toBbox(r), () -> "bbox " + c);
        }
    }
}
