package org.detcon.core.hash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ContentHashTest {

    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void sha256OfBytesStreamsFilesAndHashingStreamAgree(@TempDir Path dir) throws Exception {
        byte[] abc = "abc".getBytes(StandardCharsets.UTF_8);
        assertEquals(ABC, ContentHash.sha256Hex(abc));
        assertEquals(ABC, ContentHash.sha256Hex(new ByteArrayInputStream(abc)));
        Path f = dir.resolve("abc");
        Files.write(f, abc);
        assertEquals(ABC, ContentHash.sha256Hex(f));
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        HashingOutputStream h = new HashingOutputStream(bos);
        h.write('a');
        h.write("bc".getBytes(StandardCharsets.UTF_8), 0, 2);
        assertEquals(3, h.count());
        assertEquals(ABC, h.sha256Hex());
        assertEquals("abc", bos.toString(StandardCharsets.UTF_8));
    }

    @Test
    void canonicalJsonSortsKeysDropsWhitespaceAndMatchesPythonJsonDumps() throws Exception {
        JsonNode n = new ObjectMapper().readTree(
                "{ \"b\": [1, 2.5, {\"z\": null, \"a\": true}], \"a\": \"x\\ny\\u0001\\\"é\", \"big\": 12345678901234567890 }");
        // python3 -c 'import json; print(json.dumps(obj, sort_keys=True, separators=(",",":"), ensure_ascii=False))'
        assertEquals("{\"a\":\"x\\ny\\u0001\\\"é\",\"b\":[1,2.5,{\"a\":true,\"z\":null}],\"big\":12345678901234567890}",
                CanonicalJson.write(n));
        JsonNode reordered = new ObjectMapper().readTree(
                "{\"big\":12345678901234567890,\"a\":\"x\\ny\\u0001\\\"é\",\"b\":[1,2.5,{\"a\":true,\"z\":null}]}");
        assertEquals(ContentHash.configHash(n), ContentHash.configHash(reordered));
    }

    @Test
    void floatsAreWrittenLikePythonRepr() {
        // expected strings are Python's repr of the same doubles
        assertEquals("0.1", CanonicalJson.pythonFloat(0.1));
        assertEquals("1.0", CanonicalJson.pythonFloat(1.0));
        assertEquals("-2.5", CanonicalJson.pythonFloat(-2.5));
        assertEquals("0.0001", CanonicalJson.pythonFloat(1e-4));
        assertEquals("1e-05", CanonicalJson.pythonFloat(1e-5));
        assertEquals("1.5e-07", CanonicalJson.pythonFloat(1.5e-7));
        assertEquals("1000000000000000.0", CanonicalJson.pythonFloat(1e15));
        assertEquals("1e+16", CanonicalJson.pythonFloat(1e16));
        assertEquals("1.2345678901234568e+17", CanonicalJson.pythonFloat(1.2345678901234568e17));
        assertEquals("123.456", CanonicalJson.pythonFloat(123.456));
        assertEquals("0.0", CanonicalJson.pythonFloat(0.0));
        assertEquals("-0.0", CanonicalJson.pythonFloat(-0.0));
        assertEquals("1e+22", CanonicalJson.pythonFloat(1e22));
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.pythonFloat(Double.NaN));
    }
}
