package org.detcon.orchestration.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
                // objects are in front of the background: every object pixel nearer than the plane's nearest row
                for (SceneGenerator.SceneObject o : sc.objects()) {
                    assertTrue(o.depthMetres() < 3.0f);
                }
            }
        }
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
