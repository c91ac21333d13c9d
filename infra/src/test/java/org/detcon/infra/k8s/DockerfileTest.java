package org.detcon.infra.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The container image definitions, {@code infra/k8s/NAME.Dockerfile} for {@code detcon/NAME} (there is no Docker
 * here). The mask job's image ({@code masks.Dockerfile}): the official Flink image of the project's Flink version on
 * Java 17, and COPY instructions whose sources are what the build makes (the job-jar profile of beam-segmentation:
 * the job jar and the Flink plugin folder); when they have been built, they are checked too.
 */
class DockerfileTest {

    static final String MASKS = ContainerImages.PREFIX + "masks";

    @Test
    void everyImageIsTheProjectsVersionAndCopiesWhatExists() {
        List<ContainerImages.Image> images = ContainerImages.all();
        assertFalse(images.isEmpty(), "no *.Dockerfile in infra/k8s");
        for (ContainerImages.Image image : images) {
            assertEquals(1, image.all("FROM").size(), image.file() + ": one FROM");
            assertEquals(ProjectFacts.version(), image.arg("VERSION").orElse(null),
                    image.file() + ": ARG VERSION is the project's");
            for (ContainerImages.Instruction copy : image.all("COPY")) {
                List<String> w = copy.words();
                assertEquals(2, w.size(), image.file() + ": COPY SOURCE DEST: " + copy.rest());
                // a build output (target/) exists only after its build; the folder that holds it must exist
                String source = w.get(0);
                Path where = ProjectFacts.root().resolve(source.contains("/target/")
                        ? source.substring(0, source.indexOf("/target/")) : source);
                assertTrue(Files.exists(where), image.file() + ": COPY " + source + ": no " + where);
            }
        }
    }

    @Test
    void parsesArgsContinuationsAndExecForm() {
        ContainerImages.Image i = ContainerImages.parse(Path.of("x/demo.Dockerfile"), String.join("\n",
                "# comment", "FROM base:1", "ARG V=2.0", "COPY a-${V}.jar \\", "    /opt/a.jar",
                "copy [\"b-$V/\", \"/opt/b/\"]"));
        assertEquals("detcon/demo", i.name());
        assertEquals("2.0", i.arg("V").orElseThrow());
        assertEquals(List.of("a-2.0.jar", "/opt/a.jar"), i.all("COPY").get(0).words());
        assertEquals("/opt/b/", i.copyDestination("b-2.0"));
        assertThrows(AssertionError.class, () -> i.copyDestination("c"));
    }

    @Test
    void masksImageIsTheProjectsFlinkOnJava17() {
        ContainerImages.Image masks = ContainerImages.named(MASKS);
        assertEquals("flink:" + ProjectFacts.flinkVersion() + "-java17", masks.all("FROM").get(0).rest());
    }

    @Test
    void masksImageCopiesWhatTheJobJarBuildMakes() throws IOException {
        ContainerImages.Image masks = ContainerImages.named(MASKS);
        List<String> sources = masks.all("COPY").stream().map(c -> c.words().get(0)).toList();
        String jar = ProjectFacts.jobJar();
        String plugins = ProjectFacts.flinkPluginsDir();
        assertEquals(List.of(jar, plugins.substring(0, plugins.lastIndexOf('/') + 1)), sources,
                "the job jar and the plugin folder of beam-segmentation's -Pjob-jar build");
        assertEquals("/opt/flink/usrlib/detcon-masks-job.jar", masks.copyDestination(jar));
        assertEquals("/opt/flink/plugins/", masks.copyDestination(sources.get(1)));
        assertTrue(plugins.endsWith("/metrics-prometheus"), plugins);
        // built? then the jar's main class is the entry class the manifests name, and the reporter is there
        Path built = ProjectFacts.root().resolve(jar);
        if (Files.isRegularFile(built)) {
            try (JarFile jf = new JarFile(built.toFile())) {
                assertEquals(ProjectFacts.jobJarMainClass(), jf.getManifest().getMainAttributes().getValue("Main-Class"));
            }
            try (var files = Files.list(ProjectFacts.root().resolve(plugins))) {
                assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("flink-metrics-prometheus-")));
            }
        } else {
            System.out.println(jar + " is not built (mvn -pl beam-segmentation -am package -Pjob-jar): its contents"
                    + " were not checked");
        }
    }
}
