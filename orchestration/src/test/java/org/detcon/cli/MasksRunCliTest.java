package org.detcon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.detcon.core.shard.DatasetManifest;
import org.detcon.core.store.ObjectStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code detcon masks run} (DirectRunner) and {@code detcon masks quality} end to end. */
class MasksRunCliTest {

    @TempDir
    Path dir;

    private static void jpeg(Path f, int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, x < w / 2 ? 0xD02020 : 0x20C040);
            }
        }
        Files.createDirectories(f.getParent());
        ImageIO.write(img, "jpg", f.toFile());
    }

    @Test
    void runThenQuality() throws IOException {
        Path images = dir.resolve("val2017");
        jpeg(images.resolve("000000000001.jpg"), 20, 10);
        jpeg(images.resolve("000000000002.jpg"), 12, 12);
        Files.writeString(images.resolve("broken.jpg"), "not a jpeg");
        Path ann = dir.resolve("instances_val2017.json");
        Files.writeString(ann, """
                {"images":[{"id":1,"file_name":"000000000001.jpg","width":20,"height":10},
                           {"id":2,"file_name":"000000000002.jpg","width":12,"height":12}],
                 "categories":[{"id":1,"name":"thing","supercategory":"x"}],
                 "annotations":[{"id":10,"image_id":1,"category_id":1,"iscrowd":0,"area":100,
                                 "bbox":[0,0,10,10],"segmentation":[[0,0,10,0,10,10,0,10]]}]}
                """);
        Path out = dir.resolve("masks");
        Path work = dir.resolve("work");
        // a standard Beam/Flink option passes through (ignored by the DirectRunner)
        CliRunner r = CliRunner.run("masks", "run", "--input", images.toString(), "--output", out.toString(),
                "--masks", "fh:100,grid:2", "--runner", "direct", "--workdir", work.toString(), "--maxParallelism=4");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("inputs 3 = written 2 + rejected 1"), r.out());
        assertTrue(r.out().contains("masks: images 3/3 (100.0%)") && r.out().contains("1 rejected, 2 written in"),
                "the progress line's final report: " + r.out());
        CliRunner runs = CliRunner.run("runs", "show", "1", "--workdir", work.toString(), "--json");
        assertEquals(0, runs.exitCode(), runs.err());
        assertTrue(runs.out().contains("\"kind\" : \"masks\"") && runs.out().contains("\"status\" : \"DONE\"")
                && runs.out().contains("\"samples\" : 2.0"), runs.out());
        DatasetManifest m = DatasetManifest.read(ObjectStores.open(out.toString()));
        assertEquals(2, m.samples());

        CliRunner q = CliRunner.run("masks", "quality", "--masks", out.toString(), "--gt", ann.toString());
        assertEquals(0, q.exitCode(), q.err());
        assertTrue(q.out().contains("grid-2") && q.out().contains("fh-s100"), q.out());
        assertTrue(q.out().contains("2 images, 1 ground-truth instances"), q.out());

        CliRunner bad = CliRunner.run("masks", "run", "--input", images.toString(), "--output", out.toString(),
                "--masks", "fh:100,grid:x");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("grid:x"), bad.err());

        // a misspelt pipeline option is a usage error naming it; options of our own may not be given twice
        CliRunner typo = CliRunner.run("masks", "run", "--input", images.toString(), "--output", out.toString(),
                "--runner", "direct", "--maxParalelism=4");
        assertEquals(2, typo.exitCode());
        assertTrue(typo.err().contains("maxParalelism"), typo.err());
        CliRunner twice = CliRunner.run("masks", "run", "--input", images.toString(), "--output", out.toString(),
                "--runner", "direct", "--flinkMaster=[local]");
        assertEquals(2, twice.exitCode());
        assertTrue(twice.err().contains("use --flink-master"), twice.err());
    }

    /** An input with no images: one line naming it, exit 1, nothing written. */
    @Test
    void emptyInputIsOneLineAndWritesNothing() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path out = dir.resolve("never");
        CliRunner r = CliRunner.run("masks", "run", "--input", empty.toString(), "--output", out.toString(),
                "--runner", "direct");
        assertEquals(1, r.exitCode(), r.out());
        assertEquals("detcon: no images under " + empty.toAbsolutePath().normalize(), r.err().strip());
        assertFalse(Files.exists(out));
    }
}
