package org.detcon.infra.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.detcon.cli.DetconCli;
import org.detcon.orchestration.sweep.SweepFileReader;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The nightly reproducibility run's CronJob ({@code infra/k8s/nightly-cronjob.yaml}) as Kubernetes and the CLI read
 * it: a typed batch/v1 CronJob that never runs twice at once and never retries, on a valid schedule, in the CLI
 * image; its command line parses as {@code detcon nightly run} with the project's own command line, names a sweep
 * and a baseline that the image copies from the repository (and that exist and read), and writes onto a mounted
 * volume whose claim is a manifest here; its CPU limit is the core count of the baseline's platform fingerprint.
 */
class NightlyCronJobTest {

    static final String CLI = ContainerImages.PREFIX + "cli";

    @Test
    void theNightlyRunsOnceAtATimeWithoutRetriesInTheCliImage() {
        CronJob cj = cronJob();
        CronJobSpec spec = cj.getSpec();
        assertEquals("Forbid", spec.getConcurrencyPolicy(), "two nightly runs must never overlap");
        assertValidCron(spec.getSchedule());
        JobSpec job = spec.getJobTemplate().getSpec();
        assertEquals(0, job.getBackoffLimit(), "a DRIFT or ERROR exit is the result, not something to retry");
        PodSpec pod = job.getTemplate().getSpec();
        assertEquals("Never", pod.getRestartPolicy());
        assertEquals(1, pod.getContainers().size());
        assertEquals(CLI + ":" + ProjectFacts.version(), pod.getContainers().get(0).getImage());
    }

    @Test
    void itsCommandIsANightlyRunTheCliParsesOnFilesTheImageHolds() throws Exception {
        Container c = cronJob().getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(List.of("/bin/sh", "-c"), c.getCommand());
        // the shell puts the date into the output folder's name
        String script = c.getArgs().get(0).trim();
        assertTrue(script.contains("$(date -u +%F)"), script);
        List<String> words = List.of(script.replace("$(date -u +%F)", "2026-12-03").split("\\s+"));
        int jar = words.indexOf("-jar");
        assertTrue(jar > 0 && words.get(0).equals("exec") && words.get(1).equals("java"), words.toString());
        ContainerImages.Image image = ContainerImages.named(CLI);
        assertEquals(image.copyDestination("orchestration/target/detcon-cli.jar"), words.get(jar + 1),
                "the jar cli.Dockerfile copies");
        List<String> args = new ArrayList<>(words.subList(jar + 2, words.size()));
        CommandLine.ParseResult parsed = new CommandLine(new DetconCli()).parseArgs(args.toArray(String[]::new));
        CommandLine.ParseResult run = parsed.subcommand().subcommand();
        assertEquals("nightly", parsed.subcommand().commandSpec().name());
        assertEquals("run", run.commandSpec().name());

        Path sweep = inRepository(image, run.matchedOptionValue("--sweep", (Path) null));
        Path baseline = inRepository(image, run.matchedOptionValue("--baseline", (Path) null));
        SweepFileReader.read(sweep); // throws with the reason when the sweep does not read
        JsonNode b = new ObjectMapper().readTree(baseline.toFile());
        assertEquals("detcon-nightly-baseline/1", b.path("format").asText(), baseline.toString());

        // the output is on a mounted volume backed by a claim that infra/k8s defines
        String out = run.matchedOptionValue("--out", (Path) null).toString();
        PodSpec pod = cronJob().getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        VolumeMount mount = c.getVolumeMounts().stream().filter(m -> out.startsWith(m.getMountPath() + "/"))
                .findFirst().orElseThrow(() -> new AssertionError("--out " + out + " is on no mounted volume"));
        Volume v = pod.getVolumes().stream().filter(x -> x.getName().equals(mount.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + mount.getName()));
        String claim = v.getPersistentVolumeClaim().getClaimName();
        Manifests.Doc pvc = Manifests.find("PersistentVolumeClaim", "detcon", claim)
                .orElseThrow(() -> new AssertionError("no PersistentVolumeClaim detcon/" + claim + " in infra/k8s"));
        assertTrue(TypedManifests.parse(pvc) instanceof PersistentVolumeClaim);

        // the pod sees as many cores as the machine the baseline was blessed on
        int cores = b.path("observation").path("fingerprint").path("cores").asInt();
        Quantity limit = c.getResources().getLimits().get("cpu");
        assertEquals(cores, Quantity.getAmountInBytes(limit).intValueExact(),
                "the CPU limit is the baseline fingerprint's core count");
    }

    @Test
    void aBadScheduleIsCaught() {
        assertValidCron("15 3 * * *");
        assertValidCron("*/10 0-6 1,15 * 1-5");
        for (String bad : List.of("15 3 * *", "61 3 * * *", "15 24 * * *", "15 3 * * mon-fri", "@nightly")) {
            try {
                assertValidCron(bad);
            } catch (AssertionError expected) {
                continue;
            }
            throw new AssertionError("accepted " + bad);
        }
    }

    private static CronJob cronJob() {
        Manifests.Doc d = Manifests.find("CronJob", "detcon", "detcon-nightly")
                .orElseThrow(() -> new AssertionError("no CronJob detcon/detcon-nightly in infra/k8s"));
        return (CronJob) TypedManifests.parse(d);
    }

    /** A path in the image back to the repository file its COPY came from (COPY DIR/ /opt/.../DIR/). */
    private static Path inRepository(ContainerImages.Image image, Path inImage) {
        for (ContainerImages.Instruction copy : image.all("COPY")) {
            String from = copy.words().get(0);
            String to = copy.words().get(1);
            if (to.endsWith("/") && inImage.toString().startsWith(to)) {
                Path file = ProjectFacts.root().resolve(from).resolve(inImage.toString().substring(to.length()));
                assertTrue(Files.isRegularFile(file), inImage + " is " + file + ", which does not exist");
                return file;
            }
        }
        throw new AssertionError(inImage + " is copied into " + image.file() + " by no COPY");
    }

    /** Five fields of numbers, ranges, lists, steps and '*' within each field's bounds. */
    static void assertValidCron(String schedule) {
        String[] f = schedule.trim().split("\\s+");
        int[][] bounds = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}};
        assertEquals(5, f.length, "cron schedule " + schedule + ": five fields");
        for (int i = 0; i < 5; i++) {
            for (String part : f[i].split(",")) {
                String[] step = part.split("/", 2);
                assertTrue(step.length == 1 || step[1].matches("[1-9][0-9]*"), schedule + ": step " + part);
                if (step[0].equals("*")) {
                    continue;
                }
                String[] range = step[0].split("-", 2);
                for (String n : range) {
                    assertTrue(n.matches("[0-9]+"), schedule + ": field " + (i + 1) + " has " + part);
                    int v = Integer.parseInt(n);
                    assertTrue(v >= bounds[i][0] && v <= bounds[i][1], schedule + ": " + v + " out of range");
                }
            }
        }
    }
}
