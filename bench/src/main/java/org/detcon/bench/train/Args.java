package org.detcon.bench.train;

import java.util.HashMap;
import java.util.Map;

/** key=value command-line arguments of the bench mains. */
public final class Args {

    private final Map<String, String> values = new HashMap<>();

    public Args(String[] args) {
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("arguments are key=value, got " + a);
            }
            values.put(a.substring(0, eq), a.substring(eq + 1));
        }
    }

    public int integer(String key, int def) {
        return values.containsKey(key) ? Integer.parseInt(values.get(key)) : def;
    }

    public double number(String key, double def) {
        return values.containsKey(key) ? Double.parseDouble(values.get(key)) : def;
    }

    public String text(String key, String def) {
        return values.getOrDefault(key, def);
    }
}
