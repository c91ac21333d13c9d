package org.detcon.infra.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The container image definition (there is no Docker here): the official Flink image of the project's Flink version
 * on Java 17, and COPY instructions whose sources are what the build makes (the job-jar profile of
 * beam-segmentation: the job jar and the Flink plugin folder); when they have been built, they are checked too.
 */
class DockerfileTest {

    /** The Dockerfile's instructions, continuation lines joined, with ARG defaults substituted. */
    static List<String[]> instructions() {
        List<String[]> out = new ArrayList<>();
        Map<String, String> args = new HashMap<>();
        String text = ProjectFacts.read("infra/k8s/Dockerfile").replace("\\\n", " ");
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] parts = l.split("\\s+", 2);
            String rest = parts.length > 1 ? parts[1] : "";
            if (parts[0].equals("ARG")) {
                String[] kv = rest.split("=", 2);
                args.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
            for (Map.Entry<String, String> a : args.entrySet()) {
                rest = rest.replace("${" + a.getKey() + "}", a.getValue()).replace("$" + a.getKey(), a.getValue());
            }
            out.add(new String[] {parts[0], rest});
        }
        return out;
    }

    /** The destination of the COPY whose source starts with {@code sourcePrefix}. */
    static String copyDestination(String sourcePrefix) {
        for (String[] i : instructions()) {
            String[] w = i[1].split("\\s+");
            if (i[0].equals("COPY") && w[0].startsWith(sourcePrefix)) {
                return w[w.length - 1];
            }
        }
        throw new AssertionError("no COPY of " + sourcePrefix + "* in infra/k8s/Dockerfile");
    }

    @Test
    void baseImageIsTheProjectsFlinkOnJava17() {
        List<String[]> from = instructions().stream().filter(i -> i[0].equals("FROM")).toList();
        assertEquals(1, from.size());
        assertEquals("flink:" + ProjectFacts.flinkVersion() + "-java17", from.get(0)[1]);
        String version = instructions().stream().filter(i -> i[0].equals("ARG") && i[1].startsWith("VERSION="))
                .map(i -> i[1].substring("VERSION=".length())).findFirst().orElseThrow();
        assertEquals(ProjectFacts.version(), version, "the Dockerfile's VERSION is the project's");
    }

    @Test
    void copiesWhatTheBuildMakes() throws IOException {
        List<String> sources = new ArrayList<>();
        for (String[] i : instructions()) {
            if (i[0].equals("COPY")) {
                String[] w = i[1].split("\\s+");
                assertEquals(2, w.length, "COPY SOURCE DEST: " + i[1]);
                sources.add(w[0]);
            }
        }
        String jar = ProjectFacts.jobJar();
        String plugins = ProjectFacts.flinkPluginsDir();
        assertEquals(List.of(jar, plugins.substring(0, plugins.lastIndexOf('/') + 1)), sources,
                "the job jar and the plugin folder of beam-segmentation's -Pjob-jar build");
        assertEquals("/opt/flink/usrlib/detcon-masks-job.jar", copyDestination(jar));
        assertEquals("/opt/flink/plugins/", copyDestination(sources.get(1)));
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
