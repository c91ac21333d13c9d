package org.detcon.cli;

import picocli.CommandLine;

/** Reports the version recorded in the jar manifest (or "dev" when run from classes). */
public final class DetconVersion implements CommandLine.IVersionProvider {

    public static String version() {
        String v = DetconVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"detcon " + version(), "Java " + System.getProperty("java.version")};
    }
}
