package org.detcon.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonPointer;
import org.junit.jupiter.api.Test;

class YamlDocumentTest {

    private static final String TEXT = """
            name: t
            grid:
              method: [detcon_b, byol]
              optimizer.base_lr:
                - 1.0
                - 2.0
            exclude: [{method: byol, optimizer.base_lr: 2.0}]
            nested:
              a:
                b: 3
            last: x
            """;

    @Test
    void linesOfKeysAndItems() {
        YamlDocument d = YamlDocument.parse(TEXT, "s.yaml");
        assertEquals(1, d.line(JsonPointer.compile("/name")));
        assertEquals(3, d.line(JsonPointer.compile("/grid/method")));
        assertEquals(3, d.line(JsonPointer.compile("/grid/method/1")));
        assertEquals(4, d.line(JsonPointer.compile("/grid/optimizer.base_lr")));
        assertEquals(6, d.line(JsonPointer.compile("/grid/optimizer.base_lr/1")));
        assertEquals(7, d.line(JsonPointer.compile("/exclude/0/optimizer.base_lr")));
        assertEquals(10, d.line(JsonPointer.compile("/nested/a/b")));
        assertEquals(11, d.line(JsonPointer.compile("/last")));
        assertEquals(10, d.line(JsonPointer.compile("/nested/a/b/missing")), "the nearest enclosing key");
        assertEquals(0, d.line(JsonPointer.empty()));
        ConfigFileException e = d.error(JsonPointer.compile("/grid/method"), "grid.method", "bad");
        assertEquals("s.yaml:3: grid.method: bad", e.getMessage());
        assertEquals(3, e.line());
    }

    @Test
    void badFilesAreOneLineErrorsNamingTheFile() {
        ConfigFileException dup = assertThrows(ConfigFileException.class,
                () -> YamlDocument.parse("a: 1\nb: 2\na: 3\n", "d.yaml"));
        assertTrue(dup.getMessage().startsWith("d.yaml:3: ") && dup.getMessage().contains("a"), dup.getMessage());
        ConfigFileException bad = assertThrows(ConfigFileException.class,
                () -> YamlDocument.parse("a: [1, 2\n", "b.yaml"));
        assertTrue(bad.getMessage().startsWith("b.yaml") && bad.getMessage().contains("not valid YAML"),
                bad.getMessage());
        assertEquals(1, bad.getMessage().lines().count());
        assertTrue(assertThrows(ConfigFileException.class, () -> YamlDocument.parse("", "e.yaml")).getMessage()
                .contains("empty"));
        assertTrue(assertThrows(ConfigFileException.class, () -> YamlDocument.read(java.nio.file.Path.of(
                "/no/such/file.yaml"))).getMessage().contains("does not exist"));
    }
}
