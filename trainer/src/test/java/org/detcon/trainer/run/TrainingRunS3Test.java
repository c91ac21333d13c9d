package org.detcon.trainer.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.core.store.s3.S3Config;
import org.detcon.core.store.s3.S3ObjectStore;
import org.detcon.trainer.checkpoint.BackboneExport;
import org.detcon.trainer.checkpoint.Checkpoints;
import org.detcon.trainer.data.Shapes;
import org.detcon.trainer.engine.Torch;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code detcon train} with shards read from and checkpoints, metrics and the backbone written to {@code s3://},
 * against a real S3-compatible server (s3proxy, filesystem backend, in-process) configured the way a trainer host
 * is: system properties / the AWS default chain. Interrupted and resumed from the S3 checkpoint, the run gives the
 * losses of an uninterrupted local run.
 */
class TrainingRunS3Test {

    private static final String BUCKET = "detcon-trainer";
    private static final String[] PROPS = {"detcon.s3.endpoint", "aws.region", "aws.accessKeyId",
        "aws.secretAccessKey"};
    private static final Map<String, String> SAVED = new HashMap<>();
    private static S3Proxy proxy;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void startS3() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("s3"));
        proxy = S3Proxy.builder().blobStore(new FilesystemNio2BlobStore(data.toString()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "trainer-access", "trainer-secret-4k")
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        for (String p : PROPS) {
            SAVED.put(p, System.getProperty(p));
        }
        System.setProperty("detcon.s3.endpoint", "http://127.0.0.1:" + proxy.getPort());
        System.setProperty("aws.region", "us-east-1");
        System.setProperty("aws.accessKeyId", "trainer-access");
        System.setProperty("aws.secretAccessKey", "trainer-secret-4k");
        try (S3Client c = S3ObjectStore.buildClient(S3Config.fromEnvironment())) {
            c.createBucket(b -> b.bucket(BUCKET));
        }
    }

    @AfterAll
    static void stopS3() throws Exception {
        for (String p : PROPS) {
            if (SAVED.get(p) == null) {
                System.clearProperty(p);
            } else {
                System.setProperty(p, SAVED.get(p));
            }
        }
        if (proxy != null) {
            proxy.stop();
        }
    }

    @Test
    void checkpointsToS3ResumeExactlyAndExportTheBackbone() throws IOException {
        String data = "s3://" + BUCKET + "/datasets/shapes";
        try (ObjectStore d = ObjectStores.open(data)) {
            Shapes.writeDataset(d, 48, 1, 12, 4);
        }
        String remote = "s3://" + BUCKET + "/runs/detcon-b";
        TrainConfig s3 = TrainConfigYaml.parse(TrainingRunTest.config(data, remote), "s3.yaml");
        TrainingRun.builder(s3).build().run(2);
        try (ObjectStore out = ObjectStores.open(remote)) {
            assertEquals("step-00000002", Checkpoints.latest(out).orElseThrow());
            assertEquals(2, Checkpoints.readState(out, "step-00000002").step()); // every file's sha256 verified
            assertEquals(2, TrainingRunTest.losses(out).size(), "metrics are published with each checkpoint");
            assertFalse(out.exists("backbone/" + BackboneExport.DESCRIPTOR), "no export before the schedule ends");
        }
        TrainingRun.Result resumed = TrainingRun.builder(s3).build().run();
        assertEquals(2, resumed.startStep());
        assertEquals(remote, resumed.output());

        Path local = tmp.resolve("local");
        TrainConfig uninterrupted = TrainConfigYaml.parse(TrainingRunTest.config(data, local.toString()), "local.yaml");
        TrainingRun.builder(uninterrupted).build().run();
        try (ObjectStore out = ObjectStores.open(remote);
             ObjectStore ref = ObjectStores.open(local.toString());
             ObjectStore backbone = ObjectStores.open(remote + "/backbone");
             NDManager m = Torch.newManager()) {
            assertEquals(TrainingRunTest.losses(ref), TrainingRunTest.losses(out),
                    "resumed from S3 = uninterrupted local run");
            assertEquals("step-00000004", Checkpoints.latest(out).orElseThrow());
            assertEquals(4, BackboneExport.descriptor(backbone).step());
            assertEquals(18, BackboneExport.load(backbone, m).config().depth());
            assertArrayEquals(ref.readAllBytes("backbone/" + BackboneExport.WEIGHTS),
                    backbone.readAllBytes(BackboneExport.WEIGHTS), "the same weights on S3 as locally");
        }
    }
}
