package org.detcon.service;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4), for the tests: every line is a
 * {@code # HELP}, {@code # TYPE}, another comment, a blank line or a sample {@code name{label="value",...} value
 * [timestamp]} with the format's grammar for names, label escapes and values (NaN, +Inf, -Inf); each family's TYPE
 * comes once and before its samples, a sample belongs to a declared family (histogram and summary suffixes
 * included), no series repeats, and a histogram's buckets are cumulative up to {@code le="+Inf"}, which equals its
 * {@code _count}. A violation is an {@link IllegalArgumentException} naming the line.
 */
final class PrometheusText {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)\\})? (\\S+)( -?[0-9]+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");
    private static final Pattern VALUE = Pattern.compile("[+-]?(Inf|NaN|[0-9]*\\.?[0-9]+([eE][+-]?[0-9]+)?|[0-9]+\\.)");

    /** A series: metric name and labels (sorted). */
    record Series(String name, Map<String, String> labels) {
    }

    private PrometheusText() {
    }

    /** The samples of {@code text}, checked line by line. */
    static Map<Series, Double> parse(String text) {
        Map<String, String> types = new HashMap<>();
        Map<Series, Double> out = new LinkedHashMap<>();
        List<String> lines = text.lines().toList();
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition does not end with a line feed");
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String where = "line " + (i + 1) + " '" + line + "'";
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                Matcher t = TYPE.matcher(line);
                if (t.matches()) {
                    if (types.put(t.group(1), t.group(2)) != null) {
                        throw new IllegalArgumentException(where + ": a second TYPE for " + t.group(1));
                    }
                    if (out.keySet().stream().anyMatch(s -> family(s.name(), types).equals(t.group(1)))) {
                        throw new IllegalArgumentException(where + ": TYPE after samples of " + t.group(1));
                    }
                } else if (line.startsWith("# HELP") && !HELP.matcher(line).matches()
                        || line.startsWith("# TYPE")) {
                    throw new IllegalArgumentException(where + ": malformed HELP or TYPE");
                }
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException(where + ": not a sample");
            }
            Map<String, String> labels = new TreeMap<>();
            if (m.group(3) != null && !m.group(3).isEmpty()) {
                Matcher l = LABEL.matcher(m.group(3));
                int at = 0;
                while (at < m.group(3).length()) {
                    if (!l.find(at) || l.start() != at) {
                        throw new IllegalArgumentException(where + ": bad label at " + m.group(3).substring(at));
                    }
                    if (labels.put(l.group(1), l.group(2)) != null) {
                        throw new IllegalArgumentException(where + ": label " + l.group(1) + " twice");
                    }
                    at = l.end();
                }
            }
            if (!VALUE.matcher(m.group(4)).matches()) {
                throw new IllegalArgumentException(where + ": bad value " + m.group(4));
            }
            String fam = family(m.group(1), types);
            if (!types.containsKey(fam)) {
                throw new IllegalArgumentException(where + ": no TYPE for " + m.group(1));
            }
            String v = m.group(4).replace("Inf", "Infinity");
            Series s = new Series(m.group(1), labels);
            if (out.put(s, Double.parseDouble(v)) != null) {
                throw new IllegalArgumentException(where + ": the series appears twice");
            }
        }
        checkHistograms(types, out);
        return out;
    }

    /** The family a sample name belongs to: itself, or without a suffix its declared type allows. */
    private static String family(String name, Map<String, String> types) {
        if (types.containsKey(name)) {
            return name;
        }
        for (String suffix : List.of("_bucket", "_count", "_sum", "_total", "_created")) {
            String base = name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : null;
            if (base != null && types.containsKey(base)) {
                String t = types.get(base);
                boolean ok = switch (suffix) {
                    case "_bucket" -> t.equals("histogram");
                    case "_count", "_sum" -> t.equals("histogram") || t.equals("summary");
                    case "_total" -> t.equals("counter");
                    default -> true;
                };
                if (ok) {
                    return base;
                }
            }
        }
        return name;
    }

    private static void checkHistograms(Map<String, String> types, Map<Series, Double> samples) {
        for (Map.Entry<String, String> t : types.entrySet()) {
            if (!t.getValue().equals("histogram")) {
                continue;
            }
            Map<Map<String, String>, TreeMap<Double, Double>> buckets = new HashMap<>();
            for (Map.Entry<Series, Double> e : samples.entrySet()) {
                if (e.getKey().name().equals(t.getKey() + "_bucket")) {
                    Map<String, String> rest = new TreeMap<>(e.getKey().labels());
                    String le = rest.remove("le");
                    if (le == null) {
                        throw new IllegalArgumentException(e.getKey() + ": a bucket without le");
                    }
                    buckets.computeIfAbsent(rest, k -> new TreeMap<>()).put(Double.parseDouble(le.replace("Inf",
                            "Infinity")), e.getValue());
                }
            }
            for (Map.Entry<Map<String, String>, TreeMap<Double, Double>> b : buckets.entrySet()) {
                double prev = 0;
                for (double c : b.getValue().values()) {
                    if (c < prev) {
                        throw new IllegalArgumentException(t.getKey() + b.getKey() + ": buckets not cumulative");
                    }
                    prev = c;
                }
                Double inf = b.getValue().get(Double.POSITIVE_INFINITY);
                Double count = samples.get(new Series(t.getKey() + "_count", b.getKey()));
                if (inf == null || !inf.equals(count)) {
                    throw new IllegalArgumentException(t.getKey() + b.getKey() + ": le=\"+Inf\" " + inf + " is not"
                            + " _count " + count);
                }
            }
        }
    }

    /** The value of one series ({@code labels}: name, value, name, value ...). */
    static double value(Map<Series, Double> samples, String name, String... labels) {
        Map<String, String> l = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            l.put(labels[i], labels[i + 1]);
        }
        Double v = samples.get(new Series(name, l));
        if (v == null) {
            throw new IllegalArgumentException("no series " + name + l + " among " + Set.copyOf(samples.keySet()
                    .stream().map(Series::name).toList()));
        }
        return v;
    }
}
