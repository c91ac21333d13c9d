package org.detcon.segmentation.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.detcon.core.shard.DatasetManifest;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.core.store.s3.S3Config;
import org.detcon.core.store.s3.S3ObjectStore;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The pipeline from and to {@code s3://} against a real S3-compatible server (s3proxy, filesystem backend,
 * in-process), configured the way workers are: system properties / the AWS default chain.
 */
class MaskPipelineS3Test {

    private static final String BUCKET = "detcon-pipeline";
    private static final String[] PROPS = {"detcon.s3.endpoint", "aws.region", "aws.accessKeyId",
        "aws.secretAccessKey"};
    private static S3Proxy proxy;
    private static final Map<String, String> saved = new java.util.HashMap<>();

    @TempDir
    static Path tmp;

    @BeforeAll
    static void startS3() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("s3"));
        proxy = S3Proxy.builder().blobStore(new FilesystemNio2BlobStore(data.toString()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "pipeline-access", "pipeline-secret-9x")
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        for (String p : PROPS) {
            saved.put(p, System.getProperty(p));
        }
        System.setProperty("detcon.s3.endpoint", "http://127.0.0.1:" + proxy.getPort());
        System.setProperty("aws.region", "us-east-1");
        System.setProperty("aws.accessKeyId", "pipeline-access");
        System.setProperty("aws.secretAccessKey", "pipeline-secret-9x");
        try (S3Client c = S3ObjectStore.buildClient(S3Config.fromEnvironment())) {
            c.createBucket(b -> b.bucket(BUCKET));
        }
    }

    @AfterAll
    static void stopS3() throws Exception {
        for (String p : PROPS) {
            if (saved.get(p) == null) {
                System.clearProperty(p);
            } else {
                System.setProperty(p, saved.get(p));
            }
        }
        if (proxy != null) {
            proxy.stop();
        }
    }

    @Test
    void imagesFromS3ToShardsOnS3() throws Exception {
        Path local = PipelineFixtures.imageFolder(tmp);
        String in = "s3://" + BUCKET + "/images";
        try (ObjectStore s = ObjectStores.open(in); Stream<Path> files = Files.walk(local)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                s.write(local.relativize(f).toString(), Files.readAllBytes(f));
            }
        }
        String out = "s3://" + BUCKET + "/masks/run1";
        MaskRunResult r = MaskPipeline.run(MaskPipelineConfig.images(in, MaskSetSpec.parseList("grid:2,fh:50"), out)
                .withBuckets(2), RunnerSetup.direct(2).options());
        System.out.println(r.format());
        assertTrue(r.countsAddUp());
        assertEquals(PipelineFixtures.GOOD, r.manifest().samples());
        assertEquals(PipelineFixtures.BAD.size(), r.manifest().rejected());
        try (ObjectStore s = ObjectStores.open(out)) {
            DatasetManifest m = DatasetManifest.read(s);
            assertTrue(m.verify(s).ok(), m.verify(s).problems().toString());
        }
        // the same shards as a local run of the same input (keys come from keys relative to the input root;
        // only the metadata's source URI differs, so compare sample contents, not bytes)
        String localOut = tmp.resolve("local-out").toString();
        MaskPipeline.run(MaskPipelineConfig.images(local.toString(), MaskSetSpec.parseList("grid:2,fh:50"), localOut)
                .withBuckets(2), RunnerSetup.direct(2).options());
        var a = PipelineFixtures.readAll(out);
        var b = PipelineFixtures.readAll(localOut);
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).image(), b.get(k).image());
            assertArrayEquals(a.get(k).maskFiles().get("fh-s50"), b.get(k).maskFiles().get("fh-s50"));
        }
    }
}
