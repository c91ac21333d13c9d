package org.detcon.segmentation.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.detcon.core.coco.CocoReader;
import org.detcon.core.labelmap.LabelMap;
import org.detcon.core.shard.DatasetManifest;
import org.detcon.core.shard.DeadLetter;
import org.detcon.core.shard.RleMask;
import org.detcon.core.shard.ShardSample;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.segmentation.quality.AboQuality;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline end to end on Beam's DirectRunner. */
class MaskPipelineDirectTest {

    @TempDir
    Path tmp;

    private static final List<MaskSetSpec> MASKS = MaskSetSpec.parseList("fh:50,grid:2");

    private MaskRunResult run(MaskPipelineConfig config) throws IOException {
        return MaskPipeline.run(config, RunnerSetup.direct(2).options());
    }

    /** An input with nothing to do is one error naming it, and nothing is written. */
    @Test
    void emptyInputIsAnErrorAndWritesNothing() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(empty.resolve("notes.txt"), "no images here");
        Path out = tmp.resolve("never");
        NoInputsException e = org.junit.jupiter.api.Assertions.assertThrows(NoInputsException.class,
                () -> run(MaskPipelineConfig.images(empty.toString(), MASKS, out.toString())));
        assertEquals("no images under " + empty, e.getMessage());
        assertFalse(Files.exists(out), "nothing may be written");
    }

    /** Standard Beam options pass through; a misspelt one is an error that names it. */
    @Test
    void standardOptionsAndMisspeltOnes() throws IOException {
        var o = RunnerSetup.parseArgs(List.of("--targetParallelism=3", "--s3Region=eu-west-1"));
        RunnerSetup.Prepared p = RunnerSetup.direct(o, 0);
        assertEquals(3, p.options().as(org.apache.beam.runners.direct.DirectOptions.class).getTargetParallelism());
        assertEquals("eu-west-1", p.options().as(StoreOptions.class).getS3Region());
        IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> RunnerSetup.parseArgs(List.of("--maxParalelism=4")));
        assertTrue(bad.getMessage().contains("maxParalelism"), bad.getMessage());
        IllegalArgumentException creds = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> PipelineStores.s3Config(RunnerSetup.parseArgs(List.of("--s3Credentials=AKIA:secret"))));
        assertTrue(creds.getMessage().contains("--s3Credentials"), creds.getMessage());
        // the job's own defaults yield to the arguments, Flink's too
        FlinkPipelineOptions flink = RunnerSetup.flink(RunnerSetup.parseArgs(List.of("--maxParallelism=4")),
                "[local]", 2, null, List.of(), 0).options().as(FlinkPipelineOptions.class);
        assertTrue(flink.getFasterCopy());
        assertEquals(4, flink.getMaxParallelism());
        assertFalse(RunnerSetup.parseArgs(List.of("--fasterCopy=false")).as(FlinkPipelineOptions.class)
                .getFasterCopy());
    }

    @Test
    void folderOfGoodAndBadImages() throws IOException {
        Path in = PipelineFixtures.imageFolder(tmp);
        String out = tmp.resolve("out").toString();
        List<MaskProgress> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
        MaskRunResult r = MaskPipeline.run(MaskPipelineConfig.images(in.toString(), MASKS, out).withBuckets(3),
                RunnerSetup.direct(2).options(), progress::add);
        System.out.println(r.format());

        // progress: the last report is the finished job, every input done
        MaskProgress last = progress.get(progress.size() - 1);
        assertTrue(last.finished());
        assertEquals(16, last.total());
        assertEquals(16, last.done());
        assertEquals(7, last.rejected());
        assertEquals(PipelineFixtures.GOOD, last.written());
        assertTrue(last.format().startsWith("images 16/16 (100.0%), "), last.format());

        // counts add up: every listed input is either written or rejected
        DatasetManifest m = r.manifest();
        assertEquals(PipelineFixtures.GOOD + PipelineFixtures.BAD.size(), r.expectedInputs());
        assertEquals(PipelineFixtures.GOOD, m.samples());
        assertEquals(PipelineFixtures.BAD.size(), m.rejected());
        assertTrue(r.countsAddUp());
        assertEquals(r.expectedInputs(), m.inputs());

        // metrics
        MetricsSummary ms = r.metrics();
        assertEquals(16, ms.counter("images_read"));
        assertEquals(PipelineFixtures.GOOD, ms.counter("images_written"));
        assertEquals(7, ms.counter("rejected"));
        assertEquals(2, ms.counter("rejected/UNSUPPORTED_FORMAT"));
        assertEquals(2, ms.counter("rejected/TRUNCATED"));
        assertEquals(1, ms.counter("rejected/TOO_LARGE"));
        assertEquals(PipelineFixtures.GOOD, ms.distributions().get("segments_per_image/fh-s50").count());
        assertNotNull(ms.distributions().get("ms_per_image/grid-2"));

        // the dataset verifies, dead letters carry their reasons
        ObjectStore store = ObjectStores.open(out);
        assertTrue(m.verify(store).ok(), m.verify(store).problems().toString());
        Map<String, String> reasons = new HashMap<>();
        for (DeadLetter d : DeadLetter.readAll(store)) {
            String file = d.input().substring(d.input().lastIndexOf('/') + 1);
            reasons.put(file, d.reason().substring(0, d.reason().indexOf(':')));
        }
        assertEquals(PipelineFixtures.BAD, reasons);

        // shards are readable; every sample has both mask sets at image size
        Map<String, ShardSample> samples = PipelineFixtures.readAll(out);
        assertEquals(PipelineFixtures.GOOD, samples.size());
        Map<String, ShardSample> byFile = new HashMap<>();
        for (ShardSample s : samples.values()) {
            String src = s.metadata().source();
            byFile.put(src.substring(src.lastIndexOf('/') + 1), s);
            LabelMap fh = s.labelMap("fh-s50");
            assertEquals(s.metadata().width(), fh.width());
            assertEquals(fh.segmentCount(), s.metadata().masks().get("fh-s50").segments());
            assertEquals(4, s.labelMap("grid-2").segmentCount());
            assertEquals("images", s.metadata().dataset());
        }
        assertTrue(byFile.containsKey("jpeg_cmyk.jpg"));
        assertTrue(byFile.containsKey("png_rgb16.png"));
        assertTrue(byFile.containsKey("png_gray16.png"));
        assertTrue(byFile.containsKey("jpeg_progressive.jpg"), "recursive listing");
        assertEquals("jpg", byFile.get("jpeg_named_as.png").metadata().imageFormat(), "format by content");
        assertTrue(byFile.get("jpeg_cmyk.jpg").metadata().masks().get("fh-s50").segments() > 1);
        for (String name : store.list("")) {
            assertTrue(name.startsWith("_") || FinalizeDataset.SHARD_NAME.matcher(name).matches(), name);
        }
    }

    @Test
    void sameInputSameConfigGivesByteIdenticalShards() throws IOException {
        Path in = PipelineFixtures.imageFolder(tmp);
        MaskPipelineConfig c1 = MaskPipelineConfig.images(in.toString(), MASKS, tmp.resolve("a").toString())
                .withBuckets(4);
        MaskPipelineConfig c2 = MaskPipelineConfig.images(in.toString(), MASKS, tmp.resolve("b").toString())
                .withBuckets(4);
        run(c1);
        run(c2);
        Map<String, byte[]> a = PipelineFixtures.files(tmp.resolve("a"));
        Map<String, byte[]> b = PipelineFixtures.files(tmp.resolve("b"));
        assertEquals(a.keySet(), b.keySet());
        assertTrue(a.keySet().stream().filter(k -> k.endsWith(".tar")).count() >= 2, a.keySet().toString());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k), b.get(k), k);
        }
        // rerun into the same directory: same bytes again; a stale shard from another config is removed
        Files.write(tmp.resolve("a").resolve("shard-00042-000000.tar"), new byte[10240]);
        run(c1);
        Map<String, byte[]> again = PipelineFixtures.files(tmp.resolve("a"));
        assertEquals(a.keySet(), again.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k), again.get(k), k);
        }
    }

    @Test
    void cocoInputAttachesImageIdsAndGroundTruth() throws IOException {
        Path root = tmp.resolve("coco-images");
        PipelineFixtures.writeJpeg(root.resolve("000000397133.jpg"), 16, 12);
        PipelineFixtures.writeJpeg(root.resolve("000000037777.jpg"), 8, 10);
        // 000000000139.jpg is missing: an UNREADABLE dead letter
        String ann = PipelineFixtures.resource("coco/instances_tiny.json").toString();
        String out = tmp.resolve("out").toString();
        MaskRunResult r = run(MaskPipelineConfig.coco(root.toString(), ann,
                MaskSetSpec.parseList("grid:2"), out));
        System.out.println(r.format());
        assertEquals(3, r.expectedInputs());
        assertEquals(2, r.manifest().samples());
        assertEquals(1, r.manifest().rejected());
        assertTrue(r.countsAddUp());
        ObjectStore store = ObjectStores.open(out);
        assertTrue(r.manifest().verify(store).ok());
        List<DeadLetter> dead = DeadLetter.readAll(store);
        assertEquals(1, dead.size());
        assertTrue(dead.get(0).input().endsWith("000000000139.jpg"));
        assertTrue(dead.get(0).reason().startsWith("UNREADABLE:"), dead.get(0).reason());

        Map<Long, ShardSample> byId = new HashMap<>();
        for (ShardSample s : PipelineFixtures.readAll(out).values()) {
            assertEquals("coco", s.metadata().dataset());
            assertEquals("tiny", s.metadata().split());
            long id = s.metadata().masks().get("gt").params().get("image_id").asLong();
            byId.put(id, s);
        }
        assertEquals(Map.of(397133L, 3, 37777L, 1), Map.of(
                397133L, byId.get(397133L).rleMasks("gt").size(), 37777L, byId.get(37777L).rleMasks("gt").size()));
        RleMask crowd = byId.get(397133L).rleMasks("gt").stream()
                .filter(x -> x.extra().get("iscrowd").asInt() == 1).findFirst().orElseThrow();
        assertEquals(900100397133L, crowd.extra().get("id").asLong());
        assertEquals(1, crowd.extra().get("category_id").asInt());
        assertEquals(4, byId.get(37777L).labelMap("grid-2").segmentCount());

        // mask quality over the written shards: 2 + 1 non-crowd instances, matched by image id
        AboQuality q = AboQuality.evaluate(store, CocoReader.read(Path.of(ann)));
        System.out.println(q.table());
        assertEquals(3, q.toJson().get("instances").asInt());
        assertTrue(q.abo("grid-2") > 0 && q.abo("grid-2") <= 1, q.table());
    }

    @Test
    void existingShardsGetAnotherMaskSet() throws IOException {
        Path in = PipelineFixtures.imageFolder(tmp);
        String first = tmp.resolve("first").toString();
        run(MaskPipelineConfig.images(in.toString(), MaskSetSpec.parseList("grid:2"), first).withBuckets(2));
        String second = tmp.resolve("second").toString();
        MaskRunResult r = run(MaskPipelineConfig.shards(first, MaskSetSpec.parseList("grid:2,fh:50"), second)
                .withBuckets(2));
        System.out.println(r.format());
        assertEquals(PipelineFixtures.GOOD, r.manifest().samples());
        assertEquals(PipelineFixtures.BAD.size(), r.manifest().rejected(), "earlier rejects carry over");
        assertTrue(r.countsAddUp());
        assertTrue(r.manifest().verify(ObjectStores.open(second)).ok());
        Map<String, ShardSample> before = PipelineFixtures.readAll(first);
        Map<String, ShardSample> after = PipelineFixtures.readAll(second);
        assertEquals(before.keySet(), after.keySet());
        for (String k : before.keySet()) {
            ShardSample a = before.get(k);
            ShardSample b = after.get(k);
            assertArrayEquals(a.image(), b.image());
            assertArrayEquals(a.maskFiles().get("grid-2"), b.maskFiles().get("grid-2"), "kept as it was");
            assertTrue(b.metadata().masks().containsKey("fh-s50"));
            assertFalse(a.metadata().masks().containsKey("fh-s50"));
        }
    }
}
