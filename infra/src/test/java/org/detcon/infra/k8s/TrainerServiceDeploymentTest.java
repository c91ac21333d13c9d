package org.detcon.infra.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import org.detcon.cli.DetconCli;
import org.detcon.service.http.Api;
import org.detcon.service.http.Route;
import org.detcon.service.security.Tokens;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The trainer service's Deployment ({@code infra/k8s/trainer-service.yaml}) as Kubernetes and the CLI read it: a
 * typed apps/v1 Deployment of one replica that is replaced, never doubled (one writer of the job table), in the CLI
 * image, asking for one {@code nvidia.com/gpu}; its arguments parse as {@code detcon service start} with a
 * non-loopback bind, its state directory is a mounted claim defined here, the token file in it is a key of a Secret
 * defined here (a non-loopback service refuses to start without it), and both probes hit the one endpoint that
 * needs no token on the container's port.
 */
class TrainerServiceDeploymentTest {

    private static Deployment deployment() {
        Manifests.Doc d = Manifests.find("Deployment", "detcon", "detcon-trainer-service")
                .orElseThrow(() -> new AssertionError("no Deployment detcon/detcon-trainer-service in infra/k8s"));
        return (Deployment) TypedManifests.parse(d);
    }

    @Test
    void oneReplicaReplacedNeverDoubledInTheCliImageWithAGpu() {
        Deployment d = deployment();
        assertEquals(1, d.getSpec().getReplicas());
        assertEquals("Recreate", d.getSpec().getStrategy().getType(), "two pods must never share the job table");
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        assertEquals(1, pod.getContainers().size());
        Container c = pod.getContainers().get(0);
        assertEquals(NightlyCronJobTest.CLI + ":" + ProjectFacts.version(), c.getImage());
        assertTrue(c.getCommand() == null || c.getCommand().isEmpty(), "the image's entrypoint runs the CLI");
        List<String> entry = ContainerImages.named(NightlyCronJobTest.CLI).all("ENTRYPOINT").get(0).words();
        assertEquals(ContainerImages.named(NightlyCronJobTest.CLI).copyDestination(
                "orchestration/target/detcon-cli.jar"), entry.get(entry.size() - 1), "the entrypoint runs the CLI jar");
        Quantity gpuRequest = c.getResources().getRequests().get("nvidia.com/gpu");
        Quantity gpuLimit = c.getResources().getLimits().get("nvidia.com/gpu");
        assertEquals(new Quantity("1"), gpuRequest);
        assertEquals(gpuRequest, gpuLimit, "extended resources: the request is the limit");
    }

    @Test
    void itsArgumentsStartAServiceOnAMountedStateDirWithTheTokenFromASecret() throws Exception {
        PodSpec pod = deployment().getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        CommandLine.ParseResult parsed = new CommandLine(new DetconCli()).parseArgs(c.getArgs().toArray(
                String[]::new));
        assertEquals("service", parsed.subcommand().commandSpec().name());
        CommandLine.ParseResult start = parsed.subcommand().subcommand();
        assertEquals("start", start.commandSpec().name());
        String bind = start.matchedOptionValue("--bind", "127.0.0.1");
        assertFalse(InetAddress.getByName(bind).isLoopbackAddress(), "reachable from other pods: --bind " + bind);
        int port = start.matchedOptionValue("--port", -1);
        Path state = start.matchedOptionValue("--state-dir", (Path) null);

        // the state directory: a volume backed by a claim that infra/k8s defines
        VolumeMount stateMount = mount(c, state.toString());
        Volume stateVolume = volume(pod, stateMount.getName());
        String claim = stateVolume.getPersistentVolumeClaim().getClaimName();
        Manifests.Doc pvc = Manifests.find("PersistentVolumeClaim", "detcon", claim)
                .orElseThrow(() -> new AssertionError("no PersistentVolumeClaim detcon/" + claim + " in infra/k8s"));
        assertTrue(TypedManifests.parse(pvc) instanceof PersistentVolumeClaim);

        // STATE/token: one key of a Secret defined here, mounted read-only as that file
        VolumeMount tokenMount = mount(c, state.resolve(Tokens.FILE).toString());
        assertTrue(Boolean.TRUE.equals(tokenMount.getReadOnly()));
        Volume tokenVolume = volume(pod, tokenMount.getName());
        String secretName = tokenVolume.getSecret().getSecretName();
        Manifests.Doc sd = Manifests.find("Secret", "detcon", secretName)
                .orElseThrow(() -> new AssertionError("no Secret detcon/" + secretName + " in infra/k8s"));
        Secret secret = (Secret) TypedManifests.parse(sd);
        assertTrue(secret.getStringData().containsKey(tokenMount.getSubPath()), "the Secret has key "
                + tokenMount.getSubPath());
        assertEquals(1, secret.getStringData().get(tokenMount.getSubPath()).strip().lines().count(),
                "the token file is one line");
        assertEquals(0400, tokenVolume.getSecret().getDefaultMode(), "readable by the service only");

        // the port the service listens on is the container's; both probes ask the unauthenticated health endpoint
        ContainerPort cp = c.getPorts().stream().filter(p -> p.getContainerPort() == port).findFirst()
                .orElseThrow(() -> new AssertionError("--port " + port + " is no container port"));
        Route health = Api.ROUTES.stream().filter(r -> !r.authenticated()).findFirst().orElseThrow();
        for (Probe p : List.of(c.getReadinessProbe(), c.getLivenessProbe())) {
            assertEquals(health.template(), p.getHttpGet().getPath());
            assertEquals("GET", health.method());
            String target = p.getHttpGet().getPort().getStrVal();
            assertTrue(target != null ? target.equals(cp.getName()) : p.getHttpGet().getPort().getIntVal() == port,
                    "the probe's port is the service's");
        }
        assertNull(c.getReadinessProbe().getExec());
    }

    private static VolumeMount mount(Container c, String path) {
        return c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError(path + " is no mount of the container"));
    }

    private static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }
}
