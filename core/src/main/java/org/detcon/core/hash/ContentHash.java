package org.detcon.core.hash;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 content hashes as lowercase hex, and the hash of a JSON config in its canonical form. */
public final class ContentHash {

    private static final HexFormat HEX = HexFormat.of();

    private ContentHash() {
    }

    /** A fresh SHA-256 digest (every JRE has it). */
    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 not available in this JRE", e);
        }
    }

    public static String hex(byte[] digest) {
        return HEX.formatHex(digest);
    }

    public static String sha256Hex(byte[] bytes) {
        return hex(newSha256().digest(bytes));
    }

    public static String sha256Hex(String utf8) {
        return sha256Hex(utf8.getBytes(StandardCharsets.UTF_8));
    }

    /** Hashes the rest of the stream (reads it to the end; does not close it). */
    public static String sha256Hex(InputStream in) throws IOException {
        MessageDigest md = newSha256();
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
            md.update(buf, 0, n);
        }
        return hex(md.digest());
    }

    public static String sha256Hex(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256Hex(in);
        }
    }

    /** SHA-256 of {@link CanonicalJson#write(JsonNode) the canonical JSON} of {@code config}. */
    public static String configHash(JsonNode config) {
        return sha256Hex(CanonicalJson.write(config));
    }
}
