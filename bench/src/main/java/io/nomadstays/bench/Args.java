package io.nomadstays.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value}, {@code --name=value} and bare {@code --flag} options; positional words are kept in order. */
final class Args {

    private final Map<String, String> options = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();
    private final Set<String> read = new HashSet<>();

    Args(List<String> words) {
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (!w.startsWith("--")) {
                positional.add(w);
                continue;
            }
            String name = w.substring(2);
            int eq = name.indexOf('=');
            if (eq >= 0) {
                options.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (i + 1 < words.size() && !words.get(i + 1).startsWith("--")) {
                options.put(name, words.get(++i));
            } else {
                options.put(name, "true");
            }
        }
    }

    List<String> positional() {
        return positional;
    }

    boolean flag(String name) {
        read.add(name);
        return Boolean.parseBoolean(options.getOrDefault(name, "false"));
    }

    String string(String name, String fallback) {
        read.add(name);
        return options.getOrDefault(name, fallback);
    }

    String required(String name) {
        read.add(name);
        String v = options.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    int integer(String name, int fallback) {
        read.add(name);
        String v = options.get(name);
        return v == null ? fallback : Integer.parseInt(v.replace("_", ""));
    }

    long longValue(String name, long fallback) {
        read.add(name);
        String v = options.get(name);
        return v == null ? fallback : Long.parseLong(v.replace("_", ""));
    }

    Duration seconds(String name, Duration fallback) {
        read.add(name);
        String v = options.get(name);
        return v == null ? fallback : Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
    }

    Path path(String name, String fallback) {
        return Path.of(string(name, fallback));
    }

    /** Refuses options nobody asked for: a typo must not silently run the default. */
    void checkAllRead() {
        for (String name : options.keySet()) {
            if (!read.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
        }
    }
}
