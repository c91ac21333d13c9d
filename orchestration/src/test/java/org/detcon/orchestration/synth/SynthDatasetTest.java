package org.detcon.orchestration.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.detcon.cli.CliRunner;
import org.detcon.core.coco.CocoAnnotation;
import org.detcon.core.coco.CocoDataset;
import org.detcon.core.coco.CocoReader;
import org.detcon.core.coco.CocoSegmentation;
import org.detcon.core.coco.CocoSegmentations;
import org.detcon.core.hash.ContentHash;
import org.detcon.core.mask.RleCodec;
import org.detcon.eval.data.DepthSample;
import org.detcon.eval.data.SegSample;
import org.detcon.eval.data.nyu.NyuDepthV2Png;
import org.detcon.eval.data.voc.VocSegmentation;
import org.detcon.eval.metrics.depth.DepthRange;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthDatasetTest {

    static final SynthDataset.Params P = new SynthDataset.Params(12, 4, 64, 7);

    @TempDir
    static Path tmp;
    static Path root;

    @BeforeAll
    static void generate() throws Exception {
        root = tmp.resolve("synth");
        SynthDataset.write(root, P, null);
    }

    @Test
    void cocoInstancesReadBackExactly() throws Exception {
        int polygons = 0;
        int rles = 0;
        Set<Integer> classesSeen = new HashSet<>();
        for (String split : List.of("train", "val")) {
            CocoDataset ds = CocoReader.read(SynthDataset.cocoAnnotations(root, split));
            int n = split.equals("train") ? P.trainImages() : P.valImages();
            assertEquals(n, ds.images().size());
            assertEquals(5, ds.categories().size());
            for (int i = 0; i < n; i++) {
                SceneGenerator.Scene sc = SceneGenerator.draw(P.seed(), split, i, P.size());
                long imageId = i + 1L;
                assertEquals(sc.id() + ".jpg", ds.image(imageId).orElseThrow().fileName());
                assertTrue(Files.isRegularFile(SynthDataset.cocoImages(root, split).resolve(sc.id() + ".jpg")));
                List<CocoAnnotation> anns = ds.annotationsForImage(imageId);
                List<SceneGenerator.SceneObject> visible = sc.objects().stream().filter(o -> o.visibleArea() > 0)
                        .toList();
                assertEquals(visible.size(), anns.size());
                for (int k = 0; k < anns.size(); k++) {
                    CocoAnnotation a = anns.get(k);
                    SceneGenerator.SceneObject o = visible.get(k);
                    assertEquals(o.shape().classId(), a.categoryId());
                    classesSeen.add(a.categoryId());
                    byte[] mask = RleCodec.decodeRowMajor(
                            CocoSegmentations.toRle(a.segmentation(), P.size(), P.size()));
                    assertArrayEquals(o.visibleMask(), mask, sc.id() + " object " + k);
                    assertEquals(o.visibleArea(), (long) a.area());
                    if (a.segmentation() instanceof CocoSegmentation.Polygons) {
                        polygons++;
                    } else {
                        rles++;
                    }
                }
            }
        }
        assertTrue(polygons > 0 && rles > 0, "both polygons and RLE: " + polygons + "/" + rles);
        assertTrue(classesSeen.size() >= 4, "shape classes " + classesSeen);
    }

    @Test
    void vocLabelsAndNyuDepthReadBackExactly() {
        for (String split : List.of("train", "val")) {
            VocSegmentation voc = VocSegmentation.open(SynthDataset.vocRoot(root),
                    split.equals("train") ? VocSegmentation.Split.TRAIN : VocSegmentation.Split.VAL);
            NyuDepthV2Png nyu = NyuDepthV2Png.open(SynthDataset.nyuRoot(root, split), DepthRange.NYU);
            int n = split.equals("train") ? P.trainImages() : P.valImages();
            assertEquals(n, voc.ids().size());
            assertEquals(n, nyu.ids().size());
            for (int i = 0; i < n; i++) {
                SceneGenerator.Scene sc = SceneGenerator.draw(P.seed(), split, i, P.size());
                SegSample s = voc.load(i);
                assertEquals(sc.id(), s.id());
                assertArrayEquals(sc.semantic(), s.label().labels());
                // JPEG is lossy: close, not equal
                double err = meanAbs(sc.rgb(), s.image().pixels());
                assertTrue(err < 16, "jpeg error " + err);
                DepthSample d = nyu.load(i);
                assertEquals(sc.id(), d.id());
                assertArrayEquals(s.image().pixels(), d.image().pixels()); // same JPEG bytes as VOC's
                float[] m = d.depth().metres();
                for (int p = 0; p < m.length; p++) {
                    assertEquals(sc.depthMm()[p] / 1000f, m[p]);
                    assertTrue(d.valid()[p]);
                }
            }
        }
    }

    @Test
    void perspective() {
        int s = 96;
        int objects = 0;
        for (int i = 0; i < 40; i++) {
            SceneGenerator.Scene sc = SceneGenerator.draw(3, "train", i, s);
            int[] d = sc.depthMm();
            // the background: a wall (constant depth) above the floor, whose depth falls row by row towards the
            // camera; the same in every column
            for (int x = 0; x < s; x++) {
                for (int y = 1; y < s; y++) {
                    int a = (y - 1) * s + x;
                    int b = y * s + x;
                    if (sc.semantic()[a] == 0 && sc.semantic()[b] == 0) {
                        assertTrue(d[b] <= d[a], sc.id() + " floor depth rises at row " + y);
                    }
                }
            }
            for (SceneGenerator.SceneObject o : sc.objects()) {
                int mm = Math.round(o.depthMetres() * 1000);
                for (int p = 0; p < s * s; p++) {
                    if (o.visibleMask()[p] != 0) {
                        assertEquals(mm, d[p], sc.id() + ": an object's pixels have its depth");
                    }
                }
                double foot = Double.NEGATIVE_INFINITY;
                for (int k = 1; k < o.outer().length; k += 2) {
                    foot = Math.max(foot, o.outer()[k]);
                }
                if (foot > s - 1) {
                    continue;
                }
                objects++;
                // it stands on the floor at its lowest point: the background behind it (pixel rows above that
                // point) is farther, the floor in front of it (rows below) nearer
                for (int p = 0; p < s * s; p++) {
                    double y = p / s + 0.5;
                    if (sc.semantic()[p] != 0) {
                        continue;
                    }
                    if (y < foot - 0.5) {
                        assertTrue(d[p] > mm, sc.id() + " background above an object's foot is behind it");
                    } else if (y > foot + 0.5) {
                        assertTrue(d[p] < mm, sc.id() + " floor below an object's foot is in front of it");
                    }
                }
                // its size in the image shrinks with depth: a disc's radius is f·R/Z with R in [0.3, 0.6] m
                if (o.shape() == SceneGenerator.Shape.DISC || o.shape() == SceneGenerator.Shape.RING) {
                    double[] xy = o.outer();
                    double cx = 0;
                    double cy = 0;
                    for (int k = 0; k < xy.length; k += 2) {
                        cx += xy[k] / (xy.length / 2.0);
                        cy += xy[k + 1] / (xy.length / 2.0);
                    }
                    double radius = Math.hypot(xy[0] - cx, xy[1] - cy) * o.depthMetres() / s;
                    assertTrue(radius > 0.299 && radius < 0.601, sc.id() + " world radius " + radius);
                }
            }
            // a gray world
            for (int p = 0; p < s * s; p++) {
                assertEquals(sc.rgb()[3 * p], sc.rgb()[3 * p + 1]);
                assertEquals(sc.rgb()[3 * p], sc.rgb()[3 * p + 2]);
            }
        }
        assertTrue(objects > 40, "objects checked: " + objects);
    }

    @Test
    void styleText() {
        SceneGenerator.Style d = SceneGenerator.Style.DEFAULT;
        assertEquals(SceneGenerator.Style.DEFAULT_TEXT, d.text());
        assertEquals(d, SceneGenerator.Style.parse(null));
        assertEquals(d, SceneGenerator.Style.parse(" "));
        assertEquals(d, SceneGenerator.Style.parse(d.text()));
        SceneGenerator.Style s = SceneGenerator.Style.parse("objects=3, ink=object, scale=0.5");
        assertEquals(new SceneGenerator.Style(3, 3, true, 0.2, 0.05, 0.5, false), s);
        assertEquals(s, SceneGenerator.Style.parse(s.text()));
        for (String bad : List.of("size=3", "objects", "objects=4-2", "objects=two", "pattern=0.9", "pattern=x",
                "gray=maybe", "ink=pixel", "scale=0")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SceneGenerator.Style.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("scene style: "), e.getMessage());
        }
    }

    @Test
    void styleKnobs() {
        int s = 64;
        boolean mixedInks = false;
        for (int i = 0; i < 20; i++) {
            assertEquals(5, SceneGenerator.draw(1, "train", i, s, SceneGenerator.Style.parse("objects=5")).objects()
                    .size());
            // one ink per image: every object on the same side of mid-gray; one per object: not always
            List<SceneGenerator.SceneObject> shared = SceneGenerator.draw(1, "train", i, s).objects();
            assertTrue(shared.stream().allMatch(o -> o.rgb()[0] < 128) || shared.stream().allMatch(o -> o.rgb()[0]
                    > 128), "image " + i);
            List<SceneGenerator.SceneObject> own = SceneGenerator.draw(1, "train", i, s,
                    SceneGenerator.Style.parse("ink=object")).objects();
            mixedInks |= own.stream().anyMatch(o -> o.rgb()[0] < 128) && own.stream().anyMatch(o -> o.rgb()[0] > 128);
        }
        assertTrue(mixedInks);
        byte[] colour = SceneGenerator.draw(1, "train", 0, s, SceneGenerator.Style.parse("gray=false")).rgb();
        boolean coloured = false;
        for (int p = 0; p < s * s; p++) {
            coloured |= colour[3 * p] != colour[3 * p + 1] || colour[3 * p] != colour[3 * p + 2];
        }
        assertTrue(coloured);
        // without the class patterns an object is one flat ink plus the pixel noise (-8..7)
        boolean patterned = false;
        for (int i = 0; i < 20; i++) {
            assertTrue(spread(SceneGenerator.draw(1, "train", i, s, SceneGenerator.Style.parse("pattern=0"))) <= 15);
            patterned |= spread(SceneGenerator.draw(1, "train", i, s)) > 30;
        }
        assertTrue(patterned);
    }

    /** The largest spread of gray levels inside one visible object of the scene (the noise adds up to 15). */
    static int spread(SceneGenerator.Scene sc) {
        int best = 0;
        for (SceneGenerator.SceneObject o : sc.objects()) {
            int lo = 255;
            int hi = 0;
            for (int p = 0; p < sc.size() * sc.size(); p++) {
                if (o.visibleMask()[p] != 0) {
                    lo = Math.min(lo, sc.rgb()[3 * p] & 0xFF);
                    hi = Math.max(hi, sc.rgb()[3 * p] & 0xFF);
                }
            }
            best = Math.max(best, hi - lo);
        }
        return best;
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() throws Exception {
        Path again = tmp.resolve("again");
        SynthDataset.write(again, P, null);
        assertEquals(tree(root), tree(again));
        Path other = tmp.resolve("other");
        SynthDataset.write(other, new SynthDataset.Params(12, 4, 64, 8), null);
        assertTrue(!tree(root).equals(tree(other)));
        assertTrue(SynthDataset.isComplete(root, P));
        assertTrue(!SynthDataset.isComplete(root, new SynthDataset.Params(12, 4, 64, 8)));
        assertTrue(!SynthDataset.isComplete(root, new SynthDataset.Params(12, 4, 64, 7,
                SceneGenerator.Style.parse("objects=3-5"))));
    }

    @Test
    void cli() throws Exception {
        Path out = tmp.resolve("cli");
        CliRunner r = CliRunner.run("data", "synth", "--out", out.toString(), "--images", "12", "--val-images", "4",
                "--size", "64", "--seed", "7");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("12 train + 4 val"));
        assertEquals(tree(root), tree(out));
        assertEquals(2, CliRunner.run("data", "synth", "--out", out.toString(), "--size", "3").exitCode());
        CliRunner bad = CliRunner.run("data", "synth", "--out", out.toString(), "--scene", "ink=pixel");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("scene style: ink is image or object"), bad.err());
        assertTrue(CliRunner.run("data", "synth", "--help").out().replaceAll("\\s+", "")
                .contains("(" + SceneGenerator.Style.DEFAULT_TEXT + ")"));
        Path styled = tmp.resolve("styled");
        assertEquals(0, CliRunner.run("data", "synth", "--out", styled.toString(), "--images", "2", "--val-images",
                "1", "--size", "32", "--scene", "objects=6").exitCode());
        assertTrue(SynthDataset.isComplete(styled, new SynthDataset.Params(2, 1, 32, 0,
                SceneGenerator.Style.parse("objects=6"))));
    }

    static double meanAbs(byte[] a, byte[] b) {
        long s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
        }
        return (double) s / a.length;
    }

    static TreeMap<String, String> tree(Path dir) throws Exception {
        TreeMap<String, String> m = new TreeMap<>();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile).forEach(files::add);
        }
        for (Path f : files) {
            m.put(dir.relativize(f).toString(), ContentHash.sha256Hex(f));
        }
        return m;
    }
}
