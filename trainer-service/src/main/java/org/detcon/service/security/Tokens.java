package org.detcon.service.security;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The service's bearer token: {@code STATE/token} (mode 0600), generated at the first start on a loopback bind; a
 * non-loopback bind needs the file to exist already (an operator put it there on purpose). Compared in constant
 * time; never logged.
 */
public final class Tokens {

    public static final String FILE = "token";

    private final byte[] token;

    private Tokens(byte[] token) {
        this.token = token;
    }

    /**
     * The token of {@code stateDir}: read, or (on a loopback {@code bind} only) generated. A non-loopback bind without
     * a token file is refused.
     */
    public static Tokens forService(Path stateDir, String bind) throws IOException {
        Path file = stateDir.resolve(FILE);
        if (!Files.exists(file)) {
            if (!InetAddress.getByName(bind).isLoopbackAddress()) {
                throw new IllegalStateException("--bind " + bind + " is not a loopback address: create " + file
                        + " (mode 0600, one line of at least 32 random characters) first, and put TLS in front of"
                        + " the service");
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String t = HexFormat.of().formatHex(random);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, t + "\n");
            } catch (FileAlreadyExistsException e) {
                // another start won the race: use its token
            }
        }
        return new Tokens(read(file).getBytes(StandardCharsets.UTF_8));
    }

    /** The token in {@code file} (its first line, trimmed); an empty file is an error. */
    public static String read(Path file) throws IOException {
        String t = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (t.isEmpty() || t.contains("\n")) {
            throw new IllegalStateException(file + ": expected one line holding the token");
        }
        return t;
    }

    /** Whether an {@code Authorization} header carries this token (constant time in the token's content). */
    public boolean accepts(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        byte[] given = authorization.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(token, given);
    }
}
