package org.detcon.orchestration.nightly;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * {@code drift.json} and {@code drift.md} of a nightly run: the result, the mode (exact, or bands and why), every
 * check that did not pass first, the first pipeline step that drifted and, for loss curves, the first training
 * step that left the band; provenance (code versions, the sweep's and the data's hashes, both fingerprints, the
 * baseline's sha256 and reason) and where the run is.
 */
public final class DriftReport {

    private DriftReport() {
    }

    public static void write(Path dir, Drift d, Baseline b, Path baselineFile, Observation cur) throws IOException {
        ObjectNode o = Observation.JSON.createObjectNode();
        o.put("status", d.status().name());
        o.put("mode", d.exact() ? "exact" : "bands");
        o.put("first_drifted_step", d.firstDriftedStage());
        o.set("fingerprint_differences", Observation.JSON.valueToTree(d.fingerprintDifferences()));
        o.set("checks", Observation.JSON.valueToTree(d.checks()));
        ObjectNode prov = o.putObject("provenance");
        prov.put("baseline", baselineFile.toString());
        prov.put("baseline_sha256", Files.isRegularFile(baselineFile) ? Baseline.sha256(baselineFile) : null);
        prov.put("baseline_reason", b.reason());
        prov.put("baseline_blessed", b.blessed());
        prov.put("baseline_code_version", b.observation().codeVersion());
        prov.put("code_version", cur.codeVersion());
        prov.put("sweep", cur.sweep());
        prov.put("sweep_sha256", cur.sweepSha256());
        prov.put("baseline_sweep_sha256", b.observation().sweepSha256());
        prov.put("masks_step", cur.data().masksKey());
        prov.set("fingerprint", Observation.JSON.valueToTree(cur.fingerprint()));
        prov.set("baseline_fingerprint", Observation.JSON.valueToTree(b.observation().fingerprint()));
        ObjectNode links = o.putObject("links");
        links.put("workdir", cur.workdir());
        links.put("run_id", cur.runId());
        links.put("report", cur.report());
        links.put("runs", "detcon runs show " + cur.runId() + " --workdir " + cur.workdir());
        Files.write(dir.resolve("drift.json"), Observation.JSON.writeValueAsBytes(o));
        Files.writeString(dir.resolve("drift.md"), markdown(d, b, baselineFile, cur), StandardCharsets.UTF_8);
    }

    static String markdown(Drift d, Baseline b, Path baselineFile, Observation cur) {
        StringBuilder sb = new StringBuilder("# Nightly ").append(cur.sweep()).append(": ").append(d.status())
                .append("\n\n");
        if (d.exact()) {
            sb.append("Mode: **exact** (same platform fingerprint as the baseline): losses, shards, weights and"
                    + " metrics must be identical.\n\n");
        } else {
            sb.append("Mode: **bands** (the platform differs from the baseline's, so results are compared within"
                    + " tolerances; weights are not compared):\n\n");
            for (Map.Entry<String, String[]> e : d.fingerprintDifferences().entrySet()) {
                sb.append("- ").append(e.getKey()).append(": baseline `").append(e.getValue()[0]).append("`, now `")
                        .append(e.getValue()[1]).append("`\n");
            }
            sb.append('\n');
        }
        if (d.firstDriftedStage() != null) {
            sb.append("First pipeline step that drifted: **").append(d.firstDriftedStage()).append("**");
            d.checks().stream().filter(c -> c.firstStep() != null && c.result().equals("DRIFT")).findFirst()
                    .ifPresent(c -> sb.append(" (loss of ").append(c.cell()).append(" first left the ")
                            .append(d.exact() ? "baseline" : "band").append(" at training step ")
                            .append(c.firstStep()).append(')'));
            sb.append(".\n\n");
        }
        long pass = d.checks().stream().filter(c -> c.result().equals("PASS")).count();
        sb.append(String.format(Locale.ROOT, "%d checks: %d passed", d.checks().size(), pass));
        for (String r : new String[] {"DRIFT", "ERROR", "WARN", "SKIP"}) {
            long n = d.checks().stream().filter(c -> c.result().equals(r)).count();
            if (n > 0) {
                sb.append(", ").append(n).append(' ').append(r);
            }
        }
        sb.append(".\n\n| result | step | cell | metric | baseline | current | difference | tolerance | note |\n"
                + "|---|---|---|---|---:|---:|---:|---|---|\n");
        for (String r : new String[] {"ERROR", "DRIFT", "WARN", "SKIP", "PASS"}) {
            for (Drift.Check c : d.checks()) {
                if (c.result().equals(r)) {
                    sb.append("| ").append(r).append(" | ").append(c.stage()).append(" | ").append(c.cell())
                            .append(" | ").append(c.metric()).append(" | ").append(c.baseline()).append(" | ")
                            .append(c.current()).append(" | ").append(c.difference()).append(" | ")
                            .append(c.tolerance()).append(" | ").append(c.note() == null ? "" : c.note())
                            .append(" |\n");
                }
            }
        }
        sb.append("\n## Provenance\n\n");
        sb.append("- baseline: ").append(baselineFile).append(" (blessed ").append(b.blessed()).append(": ")
                .append(b.reason()).append("; code ").append(b.observation().codeVersion()).append(")\n");
        sb.append("- this run: code ").append(cur.codeVersion()).append(", sweep ").append(cur.sweep()).append(" sha256 ")
                .append(cur.sweepSha256(), 0, 12).append(b.observation().sweepSha256().equals(cur.sweepSha256()) ? ""
                        : " (the baseline's sweep file was " + b.observation().sweepSha256().substring(0, 12) + ")")
                .append(", masks step ").append(cur.data().masksKey() == null ? "-" : cur.data().masksKey()
                        .substring(0, 12)).append('\n');
        sb.append("- fingerprint: ").append(cur.fingerprint()).append('\n');
        sb.append("- baseline fingerprint: ").append(b.observation().fingerprint()).append('\n');
        sb.append("- run: ").append(cur.workdir()).append(" (run ").append(cur.runId()).append(": detcon runs show ")
                .append(cur.runId()).append(" --workdir ").append(cur.workdir()).append("), report ")
                .append(cur.report()).append('\n');
        return sb.toString();
    }
}
