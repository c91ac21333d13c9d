package org.detcon.service.exec;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command line of a job's child JVM: this JVM's java binary, heap settings and class path, the DJL system
 * properties it was given (flags or set in code, as a test runner does), and {@link JobMain} with the job file and
 * {@code --device} of the job's slot.
 */
public final class ChildCommand {

    private ChildCommand() {
    }

    /** A job's JVM, computing on {@code device} (its slot's: {@code cpu}, {@code gpu:1}). */
    public static List<String> of(Path jobFile, String device) {
        return java(JobMain.class.getName(), List.of(jobFile.toString(), JobMain.DEVICE, device));
    }

    /** A JVM like this one running {@code mainClass} with {@code args}. */
    public static List<String> java(String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin",
                "java").toString()));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-agentlib") && !a.startsWith("-javaagent")) {
                cmd.add(a);
            }
        }
        for (Map.Entry<Object, Object> e : System.getProperties().entrySet()) {
            String k = e.getKey().toString();
            if (k.startsWith("ai.djl.") || k.startsWith("org.slf4j.") || k.equals("OPT_OUT_TRACKING")) {
                cmd.add("-D" + k + "=" + e.getValue());
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }
}
