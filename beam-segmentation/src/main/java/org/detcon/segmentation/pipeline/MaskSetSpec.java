package org.detcon.segmentation.pipeline;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.detcon.segmentation.fh.FhParams;
import org.detcon.core.labelmap.GridMasks;

/**
 * One mask set to compute, parsed from the command line's {@code --masks} list.
 *
 * <ul>
 *   <li>{@code fh:SCALE[:min=N][:sigma=S]}: Felzenszwalb-Huttenlocher with scale SCALE, min_size N (default SCALE,
 *       rounded toward zero) and sigma S (default 0.8). Mask-set name {@code fh-s1000}; non-default options are
 *       appended, e.g. {@code fh-s500-m200-g1p5} (sigma 1.5: '.' becomes 'p').</li>
 *   <li>{@code grid:N}: N x N grid cells. Name {@code grid-5}.</li>
 *   <li>{@code gt}: the COCO ground-truth instance masks (RLE list), only with a COCO input. Name {@code gt}.</li>
 * </ul>
 *
 * <p>Immutable; {@link #params()} gives what goes into each sample's metadata and the dataset config.
 */
public record MaskSetSpec(Kind kind, double scale, int minSize, double sigma, int gridN) implements Serializable {

    /** The algorithms a mask set can come from. */
    public enum Kind { FH, GRID, GT }

    public MaskSetSpec {
        if (kind == null) {
            throw new IllegalArgumentException("mask set kind must not be null");
        }
        switch (kind) {
            case FH -> new FhParams(scale, sigma, minSize); // validates
            case GRID -> {
                if (gridN < 1 || gridN > GridMasks.MAX_N) {
                    throw new IllegalArgumentException("grid size must be in 1.." + GridMasks.MAX_N + ", got " + gridN);
                }
            }
            case GT -> { }
        }
    }

    public static MaskSetSpec fh(double scale) {
        FhParams p = FhParams.of(scale);
        return new MaskSetSpec(Kind.FH, p.scale(), p.minSize(), p.sigma(), 0);
    }

    public static MaskSetSpec fh(double scale, int minSize, double sigma) {
        return new MaskSetSpec(Kind.FH, scale, minSize, sigma, 0);
    }

    public static MaskSetSpec grid(int n) {
        return new MaskSetSpec(Kind.GRID, 0, 0, 0, n);
    }

    public static MaskSetSpec gt() {
        return new MaskSetSpec(Kind.GT, 0, 0, 0, 0);
    }

    /** FH parameters (only for {@link Kind#FH}). */
    public FhParams fhParams() {
        if (kind != Kind.FH) {
            throw new IllegalStateException(this + " is not an FH mask set");
        }
        return new FhParams(scale, sigma, minSize);
    }

    /** The mask-set name in shards ({@code KEY.<name>.png}). */
    public String name() {
        return switch (kind) {
            case FH -> {
                StringBuilder sb = new StringBuilder("fh-s").append(num(scale));
                if (minSize != defaultMinSize(scale)) {
                    sb.append("-m").append(minSize);
                }
                if (sigma != FhParams.DEFAULT_SIGMA) {
                    sb.append("-g").append(num(sigma));
                }
                yield sb.toString().replace('.', 'p');
            }
            case GRID -> "grid-" + gridN;
            case GT -> "gt";
        };
    }

    /** The algorithm name written to sample metadata. */
    public String algorithm() {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /** Parameters as written to sample metadata ({@code masks.<name>.params}). */
    public ObjectNode params() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        switch (kind) {
            case FH -> {
                o.put("scale", scale);
                o.put("min_size", minSize);
                o.put("sigma", sigma);
            }
            case GRID -> o.put("n", gridN);
            case GT -> o.put("source", "coco");
        }
        return o;
    }

    /** The spec in the syntax {@link #parse} reads (canonical: options only when not default). */
    public String spec() {
        return switch (kind) {
            case FH -> "fh:" + num(scale) + (minSize != defaultMinSize(scale) ? ":min=" + minSize : "")
                    + (sigma != FhParams.DEFAULT_SIGMA ? ":sigma=" + num(sigma) : "");
            case GRID -> "grid:" + gridN;
            case GT -> "gt";
        };
    }

    @Override
    public String toString() {
        return spec();
    }

    /** Parses one spec such as {@code fh:1000}, {@code fh:500:min=200:sigma=0.8}, {@code grid:5} or {@code gt}. */
    public static MaskSetSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty mask set spec; expected fh:SCALE, grid:N or gt");
        }
        String s = text.trim();
        String[] parts = s.split(":", -1);
        String kind = parts[0].toLowerCase(Locale.ROOT);
        try {
            switch (kind) {
                case "fh": {
                    if (parts.length < 2 || parts[1].isEmpty()) {
                        throw bad(s, "fh needs a scale, e.g. fh:1000");
                    }
                    double scale = number(s, "scale", parts[1]);
                    if (!(scale > 0) || scale > Integer.MAX_VALUE) {
                        throw bad(s, "the FH scale must be a number > 0, got " + parts[1]);
                    }
                    int minSize = defaultMinSize(scale);
                    double sigma = FhParams.DEFAULT_SIGMA;
                    Set<String> seen = new HashSet<>();
                    for (int i = 2; i < parts.length; i++) {
                        String opt = parts[i];
                        int eq = opt.indexOf('=');
                        if (eq <= 0) {
                            throw bad(s, "option '" + opt + "' must be name=value (min=N or sigma=S)");
                        }
                        String name = opt.substring(0, eq).toLowerCase(Locale.ROOT);
                        String value = opt.substring(eq + 1);
                        if (!seen.add(name)) {
                            throw bad(s, "option '" + name + "' given twice");
                        }
                        switch (name) {
                            case "min", "min_size" -> {
                                try {
                                    minSize = Integer.parseInt(value);
                                } catch (NumberFormatException e) {
                                    throw bad(s, "min must be a whole number of pixels, got '" + value + "'");
                                }
                            }
                            case "sigma" -> sigma = number(s, "sigma", value);
                            default -> throw bad(s, "unknown FH option '" + name + "' (known: min, sigma)");
                        }
                    }
                    return fh(scale, minSize, sigma);
                }
                case "grid": {
                    if (parts.length != 2 || parts[1].isEmpty()) {
                        throw bad(s, "grid takes exactly one number, e.g. grid:5");
                    }
                    int n;
                    try {
                        n = Integer.parseInt(parts[1]);
                    } catch (NumberFormatException e) {
                        throw bad(s, "the grid size must be a whole number, got '" + parts[1] + "'");
                    }
                    return grid(n);
                }
                case "gt": {
                    if (parts.length != 1) {
                        throw bad(s, "gt takes no parameters");
                    }
                    return gt();
                }
                default:
                    throw bad(s, "unknown mask set kind '" + parts[0] + "' (known: fh, grid, gt)");
            }
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("mask set spec '")) {
                throw e;
            }
            throw bad(s, e.getMessage());
        }
    }

    /** Parses a comma-separated list such as {@code fh:1000,grid:5}; refuses empty lists and duplicate names. */
    public static List<MaskSetSpec> parseList(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no mask sets given; expected a list such as fh:1000,grid:5");
        }
        List<MaskSetSpec> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String part : text.split(",", -1)) {
            MaskSetSpec spec = parse(part);
            if (!names.add(spec.name())) {
                throw new IllegalArgumentException("mask set '" + spec.name() + "' is listed twice in '" + text + "'");
            }
            out.add(spec);
        }
        return List.copyOf(out);
    }

    private static int defaultMinSize(double scale) {
        return (int) scale;
    }

    private static double number(String spec, String what, String value) {
        try {
            double d = Double.parseDouble(value);
            if (!Double.isFinite(d)) {
                throw bad(spec, what + " must be finite, got '" + value + "'");
            }
            return d;
        } catch (NumberFormatException e) {
            throw bad(spec, what + " must be a number, got '" + value + "'");
        }
    }

    private static String num(double d) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    private static IllegalArgumentException bad(String spec, String why) {
        return new IllegalArgumentException("mask set spec '" + spec + "': " + why
                + " (syntax: fh:SCALE[:min=N][:sigma=S], grid:N, gt)");
    }
}
