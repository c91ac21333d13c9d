package org.detcon.infra.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.detcon.cli.DetconCli;
import org.detcon.infra.k8s.ProjectFacts;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The trainer service's systemd unit ({@code infra/systemd/detcon-service.service}): restarted on failure, and its
 * {@code ExecStart} is the repository's {@code detcon} launcher running {@code service start} with options the CLI
 * parses, its state in the unit's own {@code StateDirectory}.
 */
class ServiceUnitTest {

    /** The unit's {@code [section] key=value} lines (comments and blank lines skipped; a repeated key: the last). */
    static Map<String, Map<String, String>> parse(Path unit) throws IOException {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        Map<String, String> section = null;
        for (String raw : Files.readAllLines(unit)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = out.computeIfAbsent(line.substring(1, line.length() - 1), k -> new LinkedHashMap<>());
                continue;
            }
            int eq = line.indexOf('=');
            assertTrue(section != null && eq > 0, unit + ": not a key=value line in a section: " + raw);
            section.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        return out;
    }

    @Test
    void itRestartsOnFailureAndStartsTheServiceWithTheCliItsOptionsParse() throws Exception {
        Path root = ProjectFacts.root();
        Map<String, Map<String, String>> unit = parse(root.resolve("infra/systemd/detcon-service.service"));
        Map<String, String> service = unit.get("Service");
        assertEquals("on-failure", service.get("Restart"));
        assertEquals("simple", service.get("Type"), "the service runs in the foreground");
        assertTrue(unit.get("Install").get("WantedBy").contains("multi-user.target"));

        List<String> words = new ArrayList<>(List.of(service.get("ExecStart").split("\\s+")));
        String launcher = words.remove(0);
        assertTrue(launcher.startsWith("/"), "systemd needs an absolute command: " + launcher);
        assertEquals("detcon", Path.of(launcher).getFileName().toString());
        assertTrue(Files.isExecutable(root.resolve("detcon")), "the launcher the unit names is the repository's");
        CommandLine.ParseResult parsed = new CommandLine(new DetconCli()).parseArgs(words.toArray(String[]::new));
        assertEquals("service", parsed.subcommand().commandSpec().name());
        CommandLine.ParseResult start = parsed.subcommand().subcommand();
        assertEquals("start", start.commandSpec().name());
        Path state = start.matchedOptionValue("--state-dir", (Path) null);
        assertEquals(Path.of("/var/lib").resolve(service.get("StateDirectory")), state,
                "the state lives in the unit's StateDirectory (created for its user)");
        assertEquals("127.0.0.1", start.matchedOptionValue("--bind", "127.0.0.1"),
                "loopback: the token is generated at the first start");
    }
}
