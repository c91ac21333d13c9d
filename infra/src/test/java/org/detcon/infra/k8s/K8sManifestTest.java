package org.detcon.infra.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.FlinkSessionJob;
import org.apache.flink.kubernetes.operator.api.spec.JobSpec;
import org.detcon.segmentation.pipeline.MaskJob;
import org.detcon.segmentation.pipeline.RunnerSetup;
import org.junit.jupiter.api.Test;

/**
 * Every manifest in {@code infra/k8s}, whatever its kind, parsed with typed models ({@link TypedManifests}), and what
 * they name checked against each other and against the project: secrets and their keys, services and the pods and
 * ports they select, images, the job jar, its entry class and arguments, the Prometheus port, S3 endpoints.
 */
class K8sManifestTest {

    @Test
    void everyManifestParsesStrictly() {
        List<Manifests.Doc> docs = Manifests.all();
        assertTrue(docs.size() >= 7, "manifests found: " + docs.size());
        List<String> problems = new ArrayList<>();
        for (Manifests.Doc d : docs) {
            try {
                TypedManifests.parse(d);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        for (String kind : List.of("Namespace", "Secret", "StatefulSet", "Service", "Job", "FlinkDeployment",
                "FlinkSessionJob")) {
            assertFalse(Manifests.ofKind(kind).isEmpty(), "no " + kind + " in infra/k8s");
        }
    }

    /** The checks above catch a wrong field or type, in built-in kinds and in the operator's resources. */
    @Test
    void aWrongFieldOrTypeFails() {
        Manifests.Doc sts = Manifests.ofKind("StatefulSet").get(0);
        ObjectNode typo = sts.node().deepCopy();
        ((ObjectNode) typo.path("spec")).put("replica", 1);
        assertThrows(IllegalArgumentException.class, () -> TypedManifests.parse(copy(sts, typo)));
        ObjectNode wrongType = sts.node().deepCopy();
        ((ObjectNode) wrongType.path("spec")).put("replicas", "one");
        assertThrows(IllegalArgumentException.class, () -> TypedManifests.parse(copy(sts, wrongType)));

        Manifests.Doc fd = Manifests.ofKind("FlinkDeployment").get(0);
        ObjectNode fdTypo = fd.node().deepCopy();
        ((ObjectNode) fdTypo.path("spec").path("job")).put("entryclass", "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TypedManifests.parse(copy(fd, fdTypo)));
        assertTrue(e.getMessage().contains(".spec.job.entryclass: unknown field"), e.getMessage());
        ObjectNode fdType = fd.node().deepCopy();
        ((ObjectNode) fdType.path("spec").path("taskManager").path("resource")).put("cpu", "two");
        assertThrows(IllegalArgumentException.class, () -> TypedManifests.parse(copy(fd, fdType)));
        ObjectNode podTypo = fd.node().deepCopy();
        ((ObjectNode) podTypo.path("spec").path("podTemplate").path("spec").path("containers").get(0))
                .put("imagePullPolcy", "Always");
        assertThrows(IllegalArgumentException.class, () -> TypedManifests.parse(copy(fd, podTypo)));
        ObjectNode version = fd.node().deepCopy();
        ((ObjectNode) version.path("spec")).put("flinkVersion", "v1_99");
        assertThrows(IllegalArgumentException.class, () -> TypedManifests.parse(copy(fd, version)));
    }

    private static Manifests.Doc copy(Manifests.Doc d, JsonNode node) {
        return new Manifests.Doc(d.file(), d.index(), node);
    }

    @Test
    void referencedSecretsAndKeysExist() {
        int refs = 0;
        for (Manifests.Doc d : Manifests.all()) {
            for (JsonNode holder : Manifests.withField(d.node(), "secretKeyRef")) {
                JsonNode ref = holder.get("secretKeyRef");
                String name = ref.path("name").asText();
                String key = ref.path("key").asText();
                Manifests.Doc secret = Manifests.find("Secret", d.namespace(), name)
                        .orElseThrow(() -> new AssertionError(d.where() + " names Secret " + name
                                + ", which no manifest in infra/k8s defines in namespace " + d.namespace()));
                assertTrue(secret.node().path("stringData").has(key) || secret.node().path("data").has(key),
                        d.where() + " names key " + key + " of Secret " + name + ", which it does not have");
                refs++;
            }
        }
        assertTrue(refs >= 4, "secret references found: " + refs);
    }

    @Test
    void servicesSelectPodsAndTheirPorts() {
        for (Manifests.Doc svc : Manifests.ofKind("Service")) {
            JsonNode selector = svc.node().path("spec").path("selector");
            List<JsonNode> pods = new ArrayList<>();
            for (String kind : List.of("StatefulSet", "Deployment", "DaemonSet")) {
                for (Manifests.Doc w : Manifests.ofKind(kind)) {
                    JsonNode labels = w.node().path("spec").path("template").path("metadata").path("labels");
                    boolean match = w.namespace().equals(svc.namespace()) && selector.size() > 0;
                    for (var it = selector.fields(); it.hasNext(); ) {
                        var e = it.next();
                        match &= e.getValue().asText().equals(labels.path(e.getKey()).asText(null));
                    }
                    if (match) {
                        pods.add(w.node().path("spec").path("template"));
                    }
                }
            }
            assertFalse(pods.isEmpty(), svc.where() + " selects no pods of any workload in infra/k8s");
            for (JsonNode port : svc.node().path("spec").path("ports")) {
                JsonNode target = port.has("targetPort") ? port.get("targetPort") : port.get("port");
                boolean found = false;
                for (JsonNode pod : pods) {
                    for (JsonNode c : pod.path("spec").path("containers")) {
                        for (JsonNode cp : c.path("ports")) {
                            found |= target.isInt() ? cp.path("containerPort").asInt() == target.asInt()
                                    : cp.path("name").asText().equals(target.asText());
                        }
                    }
                }
                assertTrue(found, svc.where() + " port " + port + " targets no container port of its pods");
            }
        }
    }

    @Test
    void imagesArePinnedAndOursAreTheProjectsVersion() {
        for (Manifests.Doc d : Manifests.all()) {
            for (JsonNode holder : Manifests.withField(d.node(), "image")) {
                String image = holder.get("image").asText();
                assertTrue(image.matches("[^:@\\s]+(:[^:@\\s]+|@sha256:[0-9a-f]{64})") && !image.endsWith(":latest"),
                        d.where() + ": image " + image + " is not pinned to a tag");
                if (image.startsWith(ContainerImages.PREFIX)) {
                    String name = image.substring(0, image.indexOf(':'));
                    ContainerImages.named(name); // fails when there is no infra/k8s/NAME.Dockerfile
                    assertEquals(name + ":" + ProjectFacts.version(), image,
                            d.where() + ": our images are tagged with the project version");
                }
            }
        }
    }

    @Test
    void flinkDeploymentsRunTheJobJarWithValidArguments() throws Exception {
        String minor = ProjectFacts.flinkVersion().replaceAll("^(\\d+)\\.(\\d+).*", "v$1_$2");
        String usrlibJar = "local://"
                + ContainerImages.named(DockerfileTest.MASKS).copyDestination(ProjectFacts.jobJar());
        Set<String> sessions = new HashSet<>();
        for (Manifests.Doc d : Manifests.ofKind("FlinkDeployment")) {
            FlinkDeployment fd = (FlinkDeployment) TypedManifests.parse(d);
            assertEquals(minor, fd.getSpec().getFlinkVersion().name(), d.where() + ": the project's Flink version");
            Map<String, String> conf = fd.getSpec().getFlinkConfiguration();
            assertEquals("false", conf.get("execution.batch.adaptive.auto-parallelism.enabled"), d.where());
            // a killed TaskManager must be noticed (two failed heartbeats) before a restart is deployed to it
            long heartbeat = Long.parseLong(conf.getOrDefault("heartbeat.interval", "10000"));
            assertTrue(2 * heartbeat < RunnerSetup.RESTART_DELAY_MS, d.where() + ": heartbeat.interval " + heartbeat
                    + " ms: two of them must fit in the restart delay of " + RunnerSetup.RESTART_DELAY_MS + " ms");
            assertTrue(Long.parseLong(conf.getOrDefault("heartbeat.timeout", "50000")) >= 10 * heartbeat, d.where());
            // Flink's Prometheus reporter: the class exists, its port is the pods' metrics port and scrape annotation
            Class.forName(conf.get("metrics.reporter.prom.factory.class"));
            String port = conf.get("metrics.reporter.prom.port");
            JsonNode pod = d.node().path("spec").path("podTemplate");
            assertEquals(port, pod.path("metadata").path("annotations").path("prometheus.io/port").asText(),
                    d.where());
            assertTrue(Manifests.withField(pod, "containerPort").stream()
                    .anyMatch(p -> p.path("containerPort").asText().equals(port)
                            && p.path("name").asText().equals("metrics")), d.where() + ": container port " + port);
            assertTrue(Manifests.withField(pod, "name").stream()
                    .anyMatch(c -> c.path("name").asText().equals("AWS_ACCESS_KEY_ID")), d.where()
                    + ": S3 credentials from a Secret as AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY");
            if (fd.getSpec().getJob() == null) {
                sessions.add(d.namespace() + "/" + d.name());
            } else {
                assertEquals(usrlibJar, fd.getSpec().getJob().getJarURI(),
                        d.where() + ": the jar infra/k8s/masks.Dockerfile copies into the image");
                checkJob(d, fd.getSpec().getJob());
            }
        }
        for (Manifests.Doc d : Manifests.ofKind("FlinkSessionJob")) {
            FlinkSessionJob job = (FlinkSessionJob) TypedManifests.parse(d);
            assertTrue(sessions.contains(d.namespace() + "/" + job.getSpec().getDeploymentName()),
                    d.where() + ": deploymentName " + job.getSpec().getDeploymentName()
                            + " is no session-mode FlinkDeployment in infra/k8s");
            String jar = Path.of(ProjectFacts.jobJar()).getFileName().toString();
            assertTrue(job.getSpec().getJob().getJarURI().endsWith("/" + jar), d.where() + ": the job jar " + jar);
            checkJob(d, job.getSpec().getJob());
        }
    }

    /** The entry class is the job jar's main class and its arguments are valid options of that class. */
    private static void checkJob(Manifests.Doc d, JobSpec job) {
        assertEquals(ProjectFacts.jobJarMainClass(), job.getEntryClass(), d.where());
        assertEquals(MaskJob.class.getName(), job.getEntryClass(), d.where());
        MaskJob.Options o = RunnerSetup.parseArgs(List.of(job.getArgs()), MaskJob.Options.class);
        assertTrue(o.getInput().startsWith("s3://") && o.getOutput().startsWith("s3://"), d.where());
        assertEquals(job.getParallelism(), o.getParallelism(), d.where() + ": the job's and the pipeline's parallelism");
        // the S3 endpoint is a Service of infra/k8s, on one of its ports
        Matcher m = Pattern.compile("http://([a-z0-9-]+)\\.([a-z0-9-]+)\\.svc\\.cluster\\.local:(\\d+)")
                .matcher(o.getS3Endpoint());
        assertTrue(m.matches(), d.where() + ": --s3Endpoint " + o.getS3Endpoint());
        Manifests.Doc svc = Manifests.find("Service", m.group(2), m.group(1))
                .orElseThrow(() -> new AssertionError(d.where() + ": no Service " + m.group(1) + " in " + m.group(2)));
        assertTrue(Manifests.withField(svc.node(), "port").stream()
                .anyMatch(p -> p.path("port").asText().equals(m.group(3))), d.where() + ": port " + m.group(3));
        if (!"default".equals(o.getS3Credentials())) {
            fail(d.where() + ": jobs on Kubernetes take S3 keys from the pods' environment (a Secret)");
        }
    }
}
