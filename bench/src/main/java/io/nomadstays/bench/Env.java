package io.nomadstays.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The local services: {@code NOMAD_PG_*} and {@code NOMAD_ES_URL} from the environment, else from
 * {@code .local/services.env} (written by infra/bin/services.sh) under the working directory.
 */
final class Env {

    private final Map<String, String> values;

    private Env(Map<String, String> values) {
        this.values = values;
    }

    /** Exactly these values (tests). */
    static Env of(Map<String, String> values) {
        return new Env(new HashMap<>(values));
    }

    static Env load() {
        Map<String, String> values = new HashMap<>();
        Path file = Path.of(System.getenv().getOrDefault("NOMAD_HOME", ".local"), "services.env");
        if (Files.isRegularFile(file)) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    int eq = line.indexOf('=');
                    if (eq > 0 && !line.startsWith("#")) {
                        values.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + file, e);
            }
        }
        System.getenv().forEach((k, v) -> {
            if (k.startsWith("NOMAD_")) {
                values.put(k, v);
            }
        });
        return new Env(values);
    }

    String get(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    URI es() {
        String url = get("NOMAD_ES_URL", "http://127.0.0.1:19200");
        return Http.loopback(url.endsWith("/") ? url : url + "/");
    }

    String jdbcUrl() {
        String host = get("NOMAD_PG_HOST", "127.0.0.1");
        Http.loopback("http://" + host + "/");
        return "jdbc:postgresql://" + host + ":" + get("NOMAD_PG_PORT", "55432") + "/" + get("NOMAD_PG_DATABASE", "nomad")
                + "?ApplicationName=nomad-bench";
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), get("NOMAD_PG_USER", "nomad"), get("NOMAD_PG_PASSWORD", "nomad"));
    }

    /** The Elasticsearch server's pid (services.sh keeps it in es/es.pid of .local or of the service dir), or -1. */
    long esPid() {
        Path home = Path.of(get("NOMAD_HOME", ".local"));
        Path dir = home;
        try {
            Path pointer = home.resolve("service-dir");
            if (Files.isRegularFile(pointer)) {
                dir = Path.of(Files.readString(pointer).strip());
            }
            Path pid = dir.resolve("es").resolve("es.pid");
            return Files.isRegularFile(pid) ? Long.parseLong(Files.readString(pid).strip()) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
