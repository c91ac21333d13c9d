package org.detcon.infra.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The project's container images: every {@code infra/k8s/NAME.Dockerfile} builds {@code detcon/NAME:<project
 * version>} (there is no Docker here: the files are parsed, not built).
 */
final class ContainerImages {

    /** Our images' repository prefix. */
    static final String PREFIX = "detcon/";

    /** One instruction, continuation lines joined and {@code ARG} defaults substituted. */
    record Instruction(String keyword, String rest) {
        /** The words of an exec-form ({@code ["a", "b"]}) or shell-form instruction. */
        List<String> words() {
            if (rest.startsWith("[")) {
                try {
                    return Arrays.asList(new ObjectMapper().readValue(rest, String[].class));
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException(keyword + " " + rest + ": not a JSON array", e);
                }
            }
            return Arrays.asList(rest.split("\\s+"));
        }
    }

    /** An image: its name (detcon/NAME), its Dockerfile and that file's instructions. */
    record Image(String name, Path file, List<Instruction> instructions) {

        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        /** The {@code ARG name=default} value, if any. */
        Optional<String> arg(String name) {
            return all("ARG").stream().map(Instruction::rest).filter(r -> r.startsWith(name + "="))
                    .map(r -> r.substring(name.length() + 1)).findFirst();
        }

        /** The destination of the COPY whose source starts with {@code sourcePrefix}. */
        String copyDestination(String sourcePrefix) {
            for (Instruction i : all("COPY")) {
                List<String> w = i.words();
                if (w.get(0).startsWith(sourcePrefix)) {
                    return w.get(w.size() - 1);
                }
            }
            throw new AssertionError("no COPY of " + sourcePrefix + "* in " + file);
        }
    }

    private ContainerImages() {
    }

    /** Every image defined under {@code infra/k8s}. */
    static List<Image> all() {
        try (Stream<Path> files = Files.list(Manifests.dir())) {
            List<Image> out = new ArrayList<>();
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".Dockerfile")).sorted().toList()) {
                out.add(parse(f, Files.readString(f)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The image {@code detcon/NAME}'s definition. */
    static Image named(String name) {
        return all().stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no infra/k8s/" + name.substring(PREFIX.length())
                        + ".Dockerfile"));
    }

    /** An image from a Dockerfile's text; its name comes from the file name {@code NAME.Dockerfile}. */
    static Image parse(Path file, String text) {
        String base = file.getFileName().toString();
        String name = PREFIX + base.substring(0, base.length() - ".Dockerfile".length());
        List<Instruction> out = new ArrayList<>();
        Map<String, String> args = new HashMap<>();
        for (String line : text.replace("\\\n", " ").split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] parts = l.split("\\s+", 2);
            String rest = parts.length > 1 ? parts[1].strip() : "";
            if (parts[0].equals("ARG")) {
                String[] kv = rest.split("=", 2);
                args.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
            for (Map.Entry<String, String> a : args.entrySet()) {
                rest = rest.replace("${" + a.getKey() + "}", a.getValue()).replace("$" + a.getKey(), a.getValue());
            }
            out.add(new Instruction(parts[0].toUpperCase(Locale.ROOT), rest));
        }
        return new Image(name, file, List.copyOf(out));
    }
}
