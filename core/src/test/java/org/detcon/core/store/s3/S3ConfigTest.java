package org.detcon.core.store.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class S3ConfigTest {

    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String TOKEN = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN";
    private static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";

    @Test
    void defaultsAreAwsWithTheDefaultChain() {
        S3Config c = S3Config.fromEnvironment(Map.of(), new Properties());
        assertNull(c.endpoint());
        assertNull(c.region());
        assertFalse(c.pathStyle());
        assertEquals(S3Config.Credentials.defaultChain(), c.credentials());
        assertEquals(S3Config.DEFAULT_PART_SIZE, c.partSize());
        assertEquals(S3Config.defaults(), c);
    }

    @Test
    void readsEnvironment() {
        S3Config c = S3Config.fromEnvironment(Map.of(
                "DETCON_S3_ENDPOINT", "http://127.0.0.1:9000",
                "AWS_REGION", "eu-west-1",
                "DETCON_S3_PROFILE", "minio",
                "DETCON_S3_PART_SIZE", "32m"), new Properties());
        assertEquals(URI.create("http://127.0.0.1:9000"), c.endpoint());
        assertEquals("eu-west-1", c.region());
        assertTrue(c.pathStyle(), "path style defaults to on with an endpoint override");
        assertEquals(S3Config.Credentials.profile("minio"), c.credentials());
        assertEquals(32L << 20, c.partSize());
    }

    @Test
    void profileWithItsOwnCredentialsFile() {
        S3Config c = S3Config.fromEnvironment(Map.of("DETCON_S3_PROFILE", "detcon-local",
                "DETCON_S3_CREDENTIALS_FILE", "/srv/detcon/credentials"), new Properties());
        assertEquals(new S3Config.Profile("detcon-local", java.nio.file.Path.of("/srv/detcon/credentials")),
                c.credentials());
    }

    @Test
    void systemPropertiesWinAndRegionFallsBack() {
        Properties p = new Properties();
        p.setProperty("detcon.s3.endpoint", "https://s3.example.org");
        p.setProperty("detcon.s3.pathStyle", "false");
        p.setProperty("aws.region", "us-west-2");
        S3Config c = S3Config.fromEnvironment(Map.of(
                "DETCON_S3_ENDPOINT", "http://ignored:1", "AWS_DEFAULT_REGION", "ap-south-1"), p);
        assertEquals(URI.create("https://s3.example.org"), c.endpoint());
        assertFalse(c.pathStyle());
        assertEquals("us-west-2", c.region());
        assertEquals("ap-south-1",
                S3Config.fromEnvironment(Map.of("AWS_DEFAULT_REGION", "ap-south-1"), new Properties()).region());
    }

    @Test
    void invalidSettingsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                S3Config.fromEnvironment(Map.of("DETCON_S3_PATH_STYLE", "maybe"), new Properties()));
        assertTrue(e.getMessage().contains("DETCON_S3_PATH_STYLE"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () ->
                S3Config.fromEnvironment(Map.of("DETCON_S3_PART_SIZE", "1m"), new Properties()));
        assertTrue(e.getMessage().contains("5 MiB"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () ->
                S3Config.fromEnvironment(Map.of("DETCON_S3_PART_SIZE", "lots"), new Properties()));
        assertTrue(e.getMessage().contains("DETCON_S3_PART_SIZE"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () ->
                S3Config.fromEnvironment(Map.of("DETCON_S3_ENDPOINT", "127.0.0.1:9000"), new Properties()));
        assertTrue(e.getMessage().contains("127.0.0.1:9000"), e.getMessage());
    }

    @Test
    void sizes() {
        assertEquals(8L << 20, S3Config.parseSize("8m", "x"));
        assertEquals(8L << 20, S3Config.parseSize("8MiB", "x"));
        assertEquals(1L << 30, S3Config.parseSize("1g", "x"));
        assertEquals(5242880, S3Config.parseSize("5242880", "x"));
    }

    @Test
    void toStringNeverRevealsSecrets() {
        S3Config c = S3Config.defaults().withEndpoint(URI.create("http://127.0.0.1:9000"))
                .withCredentials(S3Config.Credentials.of(KEY_ID, SECRET, TOKEN));
        for (String s : new String[] {c.toString(), c.credentials().toString(), "" + c}) {
            assertFalse(s.contains(SECRET), s);
            assertFalse(s.contains(TOKEN), s);
            assertFalse(s.contains(KEY_ID), s);
        }
        assertTrue(c.toString().contains("http://127.0.0.1:9000"), c.toString());
        assertTrue(c.toString().contains("static["), c.toString());
        // and a store built on it does not show them either
        try (S3ObjectStore store = S3ObjectStore.forUri("s3://bucket/p", c.withRegion("us-east-1"))) {
            assertFalse(store.toString().contains(SECRET), store.toString());
            assertFalse(store.toString().contains(KEY_ID), store.toString());
        }
    }

    @Test
    void explicitCredentialsNeedBothParts() {
        assertThrows(IllegalArgumentException.class, () -> S3Config.Credentials.of("id", "", null));
        assertThrows(IllegalArgumentException.class, () -> S3Config.Credentials.profile(" "));
    }
}
