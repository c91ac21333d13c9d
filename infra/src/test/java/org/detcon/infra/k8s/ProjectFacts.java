package org.detcon.infra.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the project says about what the manifests name: versions from the parent pom, and what the job-jar profile
 * of beam-segmentation builds (the jar, its main class, the plugin folder).
 */
public final class ProjectFacts {

    private ProjectFacts() {
    }

    /** The repository root (set by the infra module's surefire configuration). */
    public static Path root() {
        return Path.of(System.getProperty("detcon.root", "..")).toAbsolutePath().normalize();
    }

    static String version() {
        return System.getProperty("detcon.version", "0.1.0-SNAPSHOT");
    }

    /** ${flink.version} of the parent pom. */
    static String flinkVersion() {
        return System.getProperty("flink.version", tag(read("pom.xml"), "flink.version"));
    }

    static String beamSegmentationPom() {
        return read("beam-segmentation/pom.xml");
    }

    /** The job jar the {@code -Pjob-jar} profile writes, relative to the root. */
    static String jobJar() {
        String pom = beamSegmentationPom();
        return "beam-segmentation/target/" + tag(pom, "artifactId") + "-" + version() + "-"
                + tag(pom, "shadedClassifierName") + ".jar";
    }

    /** The job jar's main class in the shade configuration. */
    static String jobJarMainClass() {
        return tag(beamSegmentationPom(), "mainClass");
    }

    /** The folder the job-jar profile copies Flink plugins into, relative to the root. */
    static String flinkPluginsDir() {
        String out = tag(beamSegmentationPom(), "outputDirectory");
        return out.replace("${project.build.directory}", "beam-segmentation/target");
    }

    static String read(String relative) {
        try {
            return Files.readString(root().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of the first {@code <name>...</name>} after the pom's parent section. */
    static String tag(String xml, String name) {
        int from = xml.indexOf("</parent>");
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]*)</" + Pattern.quote(name) + ">")
                .matcher(xml);
        if (!m.find(Math.max(from, 0))) {
            throw new IllegalStateException("no <" + name + "> in the pom");
        }
        return m.group(1).trim();
    }
}
