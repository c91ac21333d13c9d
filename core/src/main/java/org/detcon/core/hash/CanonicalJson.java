package org.detcon.core.hash;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Canonical JSON text of a JSON tree: object keys sorted (by Unicode code point), no whitespace, UTF-8 text as is.
 * It is byte-for-byte what Python writes with {@code json.dumps(obj, sort_keys=True, separators=(",", ":"),
 * ensure_ascii=False)}, so config hashes can be recomputed from Python (see tools/interop/check_shards.py):
 * integers in plain decimal, floats as Python's {@code repr} ({@code 0.1}, {@code 1.0}, {@code 1e-05},
 * {@code 1e+16}), control characters as lowercase {@code \\u00xx} escapes. NaN and infinities are rejected.
 */
public final class CanonicalJson {

    private CanonicalJson() {
    }

    public static String write(JsonNode node) {
        StringBuilder sb = new StringBuilder(256);
        write(node, sb);
        return sb.toString();
    }

    private static void write(JsonNode node, StringBuilder sb) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            sb.append("null");
        } else if (node.isObject()) {
            List<String> keys = new ArrayList<>(node.size());
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                keys.add(it.next());
            }
            keys.sort(CanonicalJson::compareCodePoints);
            sb.append('{');
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                string(keys.get(i), sb);
                sb.append(':');
                write(node.get(keys.get(i)), sb);
            }
            sb.append('}');
        } else if (node.isArray()) {
            sb.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(node.get(i), sb);
            }
            sb.append(']');
        } else if (node.isTextual()) {
            string(node.textValue(), sb);
        } else if (node.isBoolean()) {
            sb.append(node.booleanValue());
        } else if (node.isIntegralNumber()) {
            sb.append(node.bigIntegerValue());
        } else if (node.isNumber()) {
            sb.append(pythonFloat(node.doubleValue()));
        } else if (node.isBinary()) {
            throw new IllegalArgumentException("binary JSON nodes have no canonical form");
        } else {
            throw new IllegalArgumentException("unsupported JSON node type " + node.getNodeType());
        }
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static void string(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** A double as Python's {@code repr(float)} writes it (shortest round-trip digits). */
    static String pythonFloat(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("NaN and infinite numbers have no canonical JSON form: " + d);
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        // Double.toString gives the shortest digits that round-trip; re-lay them out the way Python does.
        BigDecimal bd = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = bd.unscaledValue().toString();
        int exp10 = digits.length() - 1 - bd.scale(); // value = d.ddd x 10^exp10
        StringBuilder sb = new StringBuilder(32);
        if (d < 0) {
            sb.append('-');
        }
        if (exp10 >= -4 && exp10 < 16) {
            if (exp10 >= 0) {
                if (digits.length() <= exp10 + 1) {
                    sb.append(digits).append("0".repeat(exp10 + 1 - digits.length())).append(".0");
                } else {
                    sb.append(digits, 0, exp10 + 1).append('.').append(digits, exp10 + 1, digits.length());
                }
            } else {
                sb.append("0.").append("0".repeat(-exp10 - 1)).append(digits);
            }
        } else {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(exp10 < 0 ? '-' : '+');
            int a = Math.abs(exp10);
            if (a < 10) {
                sb.append('0');
            }
            sb.append(a);
        }
        return sb.toString();
    }
}
