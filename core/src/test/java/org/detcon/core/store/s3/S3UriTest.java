package org.detcon.core.store.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class S3UriTest {

    @Test
    void parsesBucketAndKey() {
        assertEquals(new S3Uri("bucket", "a/b/c.tar"), S3Uri.parse("s3://bucket/a/b/c.tar"));
        assertEquals(new S3Uri("bucket", ""), S3Uri.parse("s3://bucket"));
        assertEquals(new S3Uri("bucket", ""), S3Uri.parse("s3://bucket/"));
        assertEquals(new S3Uri("my.bucket-1", "p/"), S3Uri.parse("S3://my.bucket-1/p/"));
        // keys are opaque: spaces and percent signs are kept verbatim
        assertEquals("a b/%20", S3Uri.parse("s3://bkt/a b/%20").key());
    }

    @Test
    void directoryPrefixAndResolve() {
        assertEquals("", S3Uri.parse("s3://bkt").directoryPrefix());
        assertEquals("p/", S3Uri.parse("s3://bkt/p").directoryPrefix());
        assertEquals("p/", S3Uri.parse("s3://bkt/p/").directoryPrefix());
        assertEquals("s3://bkt/p/x/y", S3Uri.parse("s3://bkt/p").resolve("x/y").toString());
        assertEquals("s3://bkt/x", S3Uri.parse("s3://bkt").resolve("x").toString());
    }

    @Test
    void roundTripsThroughToString() {
        for (String u : new String[] {"s3://bkt/", "s3://bkt/a", "s3://bkt/a/b/"}) {
            assertEquals(u, S3Uri.parse(u).toString());
        }
    }

    @Test
    void clearErrors() {
        assertMessage("not an S3 URI: '/tmp/x'", "/tmp/x");
        assertMessage("not an S3 URI: 'file:/x'", "file:/x");
        assertMessage("no bucket", "s3://");
        assertMessage("no bucket", "s3:///key");
        assertMessage("invalid S3 bucket name 'Upper'", "s3://Upper/key");
        assertMessage("invalid S3 bucket name 'ab'", "s3://ab/key");
        assertMessage("invalid S3 bucket name 'a_b'", "s3://a_b/key");
        assertMessage("must not start with '/'", "s3://bkt//key");
        assertMessage("query strings", "s3://bkt/key?versionId=1");
        assertThrows(IllegalArgumentException.class, () -> S3Uri.parse(null));
    }

    @Test
    void recognisesTheScheme() {
        assertTrue(S3Uri.isS3("s3://b/k"));
        assertTrue(S3Uri.isS3("S3://b/k"));
        assertFalse(S3Uri.isS3("s3a://b/k"));
        assertFalse(S3Uri.isS3("/data"));
        assertFalse(S3Uri.isS3(null));
    }

    private static void assertMessage(String expected, String uri) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> S3Uri.parse(uri), uri);
        assertTrue(e.getMessage().contains(expected), "message for " + uri + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(uri), "message names the input: " + e.getMessage());
    }
}
