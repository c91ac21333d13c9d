package org.detcon.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigOverridesTest {

    @Test
    void valuesAreYaml() {
        assertTrue(ConfigOverrides.parse("a.b=0.3").value().isDouble());
        assertTrue(ConfigOverrides.parse("a=3").value().isInt());
        assertTrue(ConfigOverrides.parse("a=true").value().isBoolean());
        assertEquals("detcon_b", ConfigOverrides.parse("method=detcon_b").value().asText());
        assertEquals(2, ConfigOverrides.parse("seeds=[0, 1]").value().size());
        assertEquals(50, ConfigOverrides.parse("backbone={depth: 50}").value().get("depth").asInt());
        assertEquals("a=b", ConfigOverrides.parse("x=a=b").value().asText(), "only the first = splits");
        assertEquals("", ConfigOverrides.parse("x=").value().asText());
    }

    @Test
    void applyCreatesMappingsAndReplacesValues() {
        ObjectNode root = (ObjectNode) YamlDocument.parse("optimizer: {base_lr: 1.0}\nseed: 0\n", "t").root()
                .deepCopy();
        ConfigOverrides.applyAll(root, ConfigOverrides.parseAll(List.of("optimizer.base_lr=2", "ema.base_tau=0.9",
                "seed=4")));
        assertEquals(2, root.get("optimizer").get("base_lr").asInt());
        assertEquals(0.9, root.get("ema").get("base_tau").asDouble());
        assertEquals(4, ConfigOverrides.get(root, "seed").asInt());
        assertEquals(null, ConfigOverrides.get(root, "seed.x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigOverrides.apply(root, "seed.x", root.get("seed")));
        assertTrue(e.getMessage().contains("not a mapping"), e.getMessage());
    }

    @Test
    void malformedOverridesSayWhatToWrite() {
        for (String bad : new String[] {"novalue", "=3", "a..b=1", ".a=1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ConfigOverrides.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("--set " + bad), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConfigOverrides.parse("a=[1, 2"))
                .getMessage().contains("not valid YAML"));
    }
}
