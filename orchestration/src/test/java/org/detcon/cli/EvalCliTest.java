package org.detcon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCliTest {

    @TempDir
    Path dir;

    @Test
    void segMetricsJsonHasTheHandComputedIou() throws IOException {
        // gt: 0 0 1 1 / pred: 0 1 1 1  -> class 0: tp 1, fp 0, fn 1 -> IoU 1/2; class 1: tp 2, fp 1 -> 2/3
        Path gt = Files.createDirectories(dir.resolve("gt"));
        Path pred = Files.createDirectories(dir.resolve("pred"));
        writeGray8(gt.resolve("a.png"), 4, 1, new int[] {0, 0, 1, 1});
        writeGray8(pred.resolve("a.png"), 4, 1, new int[] {0, 1, 1, 1});
        CliRunner r = CliRunner.run("eval", "seg-metrics", "--gt", gt.toString(), "--pred", pred.toString(),
                "--num-classes", "2", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals((0.5 + 2.0 / 3) / 2, json.get("miou").asDouble(), 1e-12, r.out());

        CliRunner table = CliRunner.run("eval", "seg-metrics", "--gt", gt.toString(), "--pred", pred.toString(),
                "--num-classes", "2");
        assertEquals(0, table.exitCode(), table.err());
        assertTrue(table.out().contains("mIoU"), table.out());
    }

    @Test
    void depthMetricsDeltaIsTheFractionWithinThreshold() throws IOException {
        Path gt = Files.createDirectories(dir.resolve("dgt"));
        Path pred = Files.createDirectories(dir.resolve("dpred"));
        writeGray16(gt.resolve("a.png"), 4, 1, new int[] {1000, 2000, 3000, 0});
        writeGray16(pred.resolve("a.png"), 4, 1, new int[] {1000, 3000, 3100, 500});
        CliRunner r = CliRunner.run("eval", "depth-metrics", "--gt", gt.toString(), "--pred", pred.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("0.6666666666666"), r.out());
    }

    @Test
    void cocoMetricsPrintsTheSummaryAndJson() throws IOException {
        Path gt = dir.resolve("gt.json");
        Files.writeString(gt, "{\"images\":[{\"id\":1,\"file_name\":\"a.jpg\",\"width\":100,\"height\":100}],"
                + "\"categories\":[{\"id\":3,\"name\":\"cat\"}],"
                + "\"annotations\":[{\"id\":7,\"image_id\":1,\"category_id\":3,\"bbox\":[10,10,40,40],"
                + "\"area\":1600,\"iscrowd\":0,\"segmentation\":[[10,10,50,10,50,50,10,50]]}]}");
        Path dt = dir.resolve("dt.json");
        Files.writeString(dt, "[{\"image_id\":1,\"category_id\":3,\"bbox\":[10,10,40,40],\"score\":0.9},"
                + "{\"image_id\":1,\"category_id\":3,\"bbox\":[60,60,30,30],\"score\":0.95}]");
        CliRunner text = CliRunner.run("eval", "coco-metrics", "--gt", gt.toString(), "--dt", dt.toString(),
                "--iou-type", "bbox");
        assertEquals(0, text.exitCode(), text.err());
        assertEquals(12, text.out().strip().lines().count(), text.out());
        assertTrue(text.out().startsWith(" Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.500"),
                text.out());

        CliRunner json = CliRunner.run("eval", "coco-metrics", "--gt", gt.toString(), "--dt", dt.toString(),
                "--iou-type", "bbox", "--json");
        assertEquals(0, json.exitCode(), json.err());
        JsonNode node = new ObjectMapper().readTree(json.out());
        assertEquals(12, node.get("stats").size());
        assertEquals(node.get("stats").get(0).asDouble(), node.get("per_category").get("cat").asDouble(), 0.0);

        CliRunner badType = CliRunner.run("eval", "coco-metrics", "--gt", gt.toString(), "--dt", dt.toString(),
                "--iou-type", "keypoints");
        assertEquals(2, badType.exitCode());
        assertTrue(badType.err().contains("bbox or segm"), badType.err());
    }

    @Test
    void missingPredictionIsAOneLineError() throws IOException {
        Path gt = Files.createDirectories(dir.resolve("g"));
        Path pred = Files.createDirectories(dir.resolve("p"));
        writeGray8(gt.resolve("a.png"), 2, 1, new int[] {0, 1});
        CliRunner r = CliRunner.run("eval", "seg-metrics", "--gt", gt.toString(), "--pred", pred.toString(),
                "--num-classes", "2");
        assertEquals(1, r.exitCode());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("a"), r.err());
    }

    private static void writeGray8(Path p, int w, int h, int[] v) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setPixels(0, 0, w, h, v);
        ImageIO.write(img, "png", p.toFile());
    }

    private static void writeGray16(Path p, int w, int h, int[] v) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster raster = img.getRaster();
        raster.setPixels(0, 0, w, h, v);
        ImageIO.write(img, "png", p.toFile());
    }
}
