package org.detcon.orchestration.nightly;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares an {@link Observation} with a {@link Baseline}. On the baseline's platform fingerprint the comparison is
 * exact: the shards' image and label-map members, the loss at every logged step, the backbones' sha256 and every
 * evaluation metric must be identical. On another platform, each loss and metric must be within its band, shard
 * digests that differ only warn (the mask pipeline is plain Java, so they usually agree) and backbone hashes are
 * not compared. Throughput and peak memory only ever warn. A failed step, or a cell or metric the run lacks, is an
 * ERROR.
 */
public final class DriftCheck {

    private DriftCheck() {
    }

    public static Drift compare(Baseline baseline, Observation cur) {
        Observation base = baseline.observation();
        Bands bands = baseline.bands() == null ? Bands.defaults() : baseline.bands();
        Map<String, String[]> fp = base.fingerprint().differences(cur.fingerprint());
        boolean exact = fp.isEmpty();
        List<Drift.Check> checks = new ArrayList<>();
        for (String f : cur.failures()) {
            checks.add(new Drift.Check(f.contains(": eval") ? "eval" : "pretrain", cellOf(f), "step", "done",
                    "failed", "", "", "ERROR", null, f));
        }
        masks(base, cur, exact, checks);
        for (Map.Entry<String, Observation.CellObservation> e : base.cells().entrySet()) {
            Observation.CellObservation c = cur.cells().get(e.getKey());
            if (c == null) {
                checks.add(new Drift.Check("pretrain", e.getKey(), "cell", "present", "absent", "", "", "ERROR", null,
                        "the sweep no longer has this cell (axes or seeds changed?)"));
                continue;
            }
            loss(e.getKey(), e.getValue(), c, exact, bands, checks);
            backbones(e.getKey(), e.getValue(), c, exact, checks);
            metrics(e.getKey(), e.getValue(), c, exact, bands, checks);
            perf(e.getKey(), "img_per_s", e.getValue().imgPerSec(), c.imgPerSec(), bands, checks);
            perf(e.getKey(), "peak_rss_mib", e.getValue().peakRssMib(), c.peakRssMib(), bands, checks);
        }
        for (String k : cur.cells().keySet()) {
            if (!base.cells().containsKey(k)) {
                checks.add(new Drift.Check("pretrain", k, "cell", "absent", "present", "", "", "WARN", null,
                        "a cell the baseline does not have (bless a new baseline to compare it)"));
            }
        }
        Drift.Status status = checks.stream().anyMatch(c -> c.result().equals("ERROR")) ? Drift.Status.ERROR
                : checks.stream().anyMatch(c -> c.result().equals("DRIFT")) ? Drift.Status.DRIFT : Drift.Status.PASS;
        String first = null;
        for (String stage : List.of("masks", "pretrain", "eval")) {
            if (checks.stream().anyMatch(c -> c.stage().equals(stage) && (c.result().equals("DRIFT")
                    || c.result().equals("ERROR")))) {
                first = stage;
                break;
            }
        }
        return new Drift(status, exact, fp, checks, first);
    }

    private static String cellOf(String failure) {
        int open = failure.indexOf("cell ");
        int paren = failure.indexOf(" (");
        return open >= 0 && paren > open ? failure.substring(open + 5, paren) : "";
    }

    private static void masks(Observation base, Observation cur, boolean exact, List<Drift.Check> checks) {
        Map<String, String> b = base.data().shards();
        Map<String, String> c = cur.data().shards();
        if (b.isEmpty()) {
            return;
        }
        int same = 0;
        for (Map.Entry<String, String> e : b.entrySet()) {
            String now = c.get(e.getKey());
            if (e.getValue().equals(now)) {
                same++;
            } else {
                checks.add(new Drift.Check("masks", "", "shard " + e.getKey(), abbrev(e.getValue()), now == null
                        ? "absent" : abbrev(now), "members differ", "identical", exact ? "DRIFT" : "WARN", null,
                        exact ? "image or label-map members differ from the baseline's"
                                : "differs on another platform (the mask pipeline is plain Java: look at the JDK)"));
            }
        }
        if (c.size() != b.size()) {
            checks.add(new Drift.Check("masks", "", "shards", Integer.toString(b.size()), Integer.toString(c.size()),
                    "", "identical", exact ? "DRIFT" : "WARN", null, "another number of shards"));
        }
        checks.add(new Drift.Check("masks", "", "shards identical", Integer.toString(b.size()),
                Integer.toString(same), "", "", same == b.size() ? "PASS" : exact ? "DRIFT" : "WARN", null, null));
    }

    private static void loss(String cell, Observation.CellObservation b, Observation.CellObservation c, boolean exact,
            Bands bands, List<Drift.Check> checks) {
        Bands.Band band = bands.loss();
        Long first = null;
        double worst = 0;
        String baseAt = "";
        String curAt = "";
        int n = Math.min(b.loss().size(), c.loss().size());
        for (int i = 0; i < n; i++) {
            double[] x = b.loss().get(i);
            double[] y = c.loss().get(i);
            boolean ok = x[0] == y[0] && (exact ? Double.compare(x[1], y[1]) == 0 : band.within(x[1], y[1]));
            double d = Math.abs(y[1] - x[1]);
            if (!ok && first == null) {
                first = (long) x[0];
                baseAt = num(x[1]);
                curAt = num(y[1]);
            }
            worst = Math.max(worst, d);
        }
        boolean lengths = b.loss().size() == c.loss().size();
        String result = first == null && lengths ? "PASS" : "DRIFT";
        checks.add(new Drift.Check("pretrain", cell, "loss", first != null ? baseAt : b.loss().size() + " steps",
                first != null ? curAt : c.loss().size() + " steps", "max abs diff " + num(worst),
                exact ? "identical" : band.describe(), result, first,
                !lengths ? "logged " + c.loss().size() + " steps, the baseline " + b.loss().size()
                        : first != null ? "first left the " + (exact ? "baseline" : "band") + " at step " + first
                        : null));
    }

    private static void backbones(String cell, Observation.CellObservation b, Observation.CellObservation c,
            boolean exact, List<Drift.Check> checks) {
        for (Map.Entry<String, String> e : b.backbones().entrySet()) {
            String now = c.backbones().get(e.getKey());
            String metric = "backbone@" + e.getKey();
            if (!exact) {
                checks.add(new Drift.Check("pretrain", cell, metric, abbrev(e.getValue()), abbrev(now), "", "",
                        "SKIP", null, "weights are not comparable across platforms"));
            } else {
                checks.add(new Drift.Check("pretrain", cell, metric, abbrev(e.getValue()), abbrev(now), "",
                        "identical", e.getValue().equals(now) ? "PASS" : "DRIFT", null, null));
            }
        }
    }

    private static void metrics(String cell, Observation.CellObservation b, Observation.CellObservation c,
            boolean exact, Bands bands, List<Drift.Check> checks) {
        for (Map.Entry<String, Double> e : b.metrics().entrySet()) {
            Double now = c.metrics().get(e.getKey());
            if (now == null) {
                checks.add(new Drift.Check("eval", cell, e.getKey(), num(e.getValue()), "absent", "", "", "ERROR",
                        null, "not evaluated"));
                continue;
            }
            String metric = e.getKey().substring(0, e.getKey().indexOf('@'));
            Bands.Band band = bands.of(metric);
            boolean ok = exact ? Double.compare(e.getValue(), now) == 0 : band.within(e.getValue(), now);
            checks.add(new Drift.Check("eval", cell, e.getKey(), num(e.getValue()), num(now),
                    String.format(Locale.ROOT, "%+.4g", now - e.getValue()), exact ? "identical" : band.describe(),
                    ok ? "PASS" : "DRIFT", null, null));
        }
    }

    private static void perf(String cell, String metric, double base, double cur, Bands bands,
            List<Drift.Check> checks) {
        if (Double.isNaN(base) || Double.isNaN(cur)) {
            return;
        }
        Bands.Band band = bands.of(metric);
        checks.add(new Drift.Check("perf", cell, metric, num(base), num(cur),
                String.format(Locale.ROOT, "%+.1f%%", 100 * (cur - base) / base), band.describe(),
                band.within(base, cur) ? "PASS" : "WARN", null, "speed and memory only warn (shared machines)"));
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.6g", v);
    }

    private static String abbrev(String h) {
        return h == null ? "absent" : h.length() > 12 ? h.substring(0, 12) : h;
    }
}
