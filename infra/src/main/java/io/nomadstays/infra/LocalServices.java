package io.nomadstays.infra;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real PostgreSQL and Elasticsearch of this machine, started by {@code infra/bin/services.sh}.
 *
 * <p>Tests call {@link #ensureStarted()} (for instance in a {@code @BeforeAll} or from a Spring
 * {@code @DynamicPropertySource}) and get the endpoints. The script is idempotent and takes a file
 * lock, so several JVMs (Maven modules, IDE runs) can call it at the same time: the first one
 * starts the servers, the others find them running.
 */
public final class LocalServices {

    /** Where the script and its data live, relative to the repository root. */
    static final String SCRIPT = "infra/bin/services.sh";

    /** A first start may download Elasticsearch (about 100 MB) and wait for it to get yellow. */
    private static final long START_TIMEOUT_MINUTES = 15;

    private static final int OUTPUT_TAIL_LINES = 60;

    private static Endpoints cached;
    private static IllegalStateException failure;

    private LocalServices() {
    }

    /**
     * The endpoints written by {@code services.sh} to {@code .local/services.env}.
     *
     * @param pgHost     PostgreSQL host (127.0.0.1)
     * @param pgPort     PostgreSQL port
     * @param pgUser     PostgreSQL superuser
     * @param pgPassword its password
     * @param pgDatabase the default database ({@code nomad})
     * @param esUrl      Elasticsearch base URL, e.g. {@code http://127.0.0.1:19200}
     */
    public record Endpoints(String pgHost, int pgPort, String pgUser, String pgPassword,
                            String pgDatabase, String esUrl) {

        public String jdbcUrl(String db) {
            return "jdbc:postgresql://" + pgHost + ":" + pgPort + "/" + db;
        }

        public String r2dbcUrl(String db) {
            return "r2dbc:postgresql://" + pgHost + ":" + pgPort + "/" + db;
        }
    }

    /**
     * Starts PostgreSQL and Elasticsearch if they are not running yet (once per JVM; later calls
     * return the cached endpoints). Sets {@code NOMAD_PG_FAST=1} for the script unless the
     * environment already says otherwise: fsync off, which is fine for tests.
     *
     * @throws IllegalStateException if the script fails; the message carries its output's tail
     */
    public static synchronized Endpoints ensureStarted() {
        if (cached != null) {
            return cached;
        }
        if (failure != null) {
            // Do not retry a start that failed (it can take minutes); fail every caller the same way.
            throw new IllegalStateException(failure.getMessage(), failure);
        }
        try {
            Path root = findRepoRoot(Path.of("").toAbsolutePath());
            runStart(root);
            cached = parse(envFile(root));
            return cached;
        } catch (IllegalStateException e) {
            failure = e;
            throw e;
        } catch (RuntimeException e) {
            failure = new IllegalStateException("Could not start the local services: " + e, e);
            throw failure;
        }
    }

    /** Creates database {@code name} (owned by the superuser) unless it exists. Safe to call concurrently. */
    public static void createDatabaseIfMissing(Endpoints e, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("database name is empty");
        }
        try (Connection c = DriverManager.getConnection(e.jdbcUrl(e.pgDatabase()), e.pgUser(), e.pgPassword())) {
            try (PreparedStatement ps = c.prepareStatement("select 1 from pg_database where datname = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement st = c.createStatement()) {
                // CREATE DATABASE takes no bind parameters: quote the identifier ourselves.
                st.execute("create database \"" + name.replace("\"", "\"\"") + "\"");
            } catch (SQLException ex) {
                // 42P04 duplicate_database: another JVM created it between our check and our create.
                if (!"42P04".equals(ex.getSQLState())) {
                    throw ex;
                }
            }
        } catch (SQLException ex) {
            throw new IllegalStateException("Could not create database " + name + " at " + e.jdbcUrl(e.pgDatabase()), ex);
        }
    }

    /** Walks up from {@code start} to the directory that holds {@code infra/bin/services.sh}. */
    static Path findRepoRoot(Path start) {
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(SCRIPT))) {
                return p;
            }
        }
        throw new IllegalStateException("No " + SCRIPT + " found in " + start + " or any parent directory");
    }

    /** {@code $NOMAD_HOME/services.env}, NOMAD_HOME defaulting to {@code <repo>/.local} as in the script. */
    static Path envFile(Path root) {
        String home = System.getenv("NOMAD_HOME");
        Path dir = home == null || home.isBlank() ? root.resolve(".local") : root.resolve(home);
        return dir.resolve("services.env");
    }

    private static void runStart(Path root) {
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve(SCRIPT).toString(), "start")
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putIfAbsent("NOMAD_PG_FAST", "1");

        Deque<String> tail = new ArrayDeque<>();
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not run bash " + SCRIPT + " (is bash installed?)", e);
        }
        // Read in another thread so that a hung script cannot block us past the timeout.
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    System.out.println(line);
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > OUTPUT_TAIL_LINES) {
                            tail.removeFirst();
                        }
                    }
                }
            } catch (IOException e) {
                // The process went away; its exit code tells the rest.
            }
        }, "services.sh-output");
        reader.setDaemon(true);
        reader.start();

        int exit;
        try {
            if (!process.waitFor(START_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException(SCRIPT + " start did not finish within "
                        + START_TIMEOUT_MINUTES + " minutes; output tail:\n" + join(tail));
            }
            exit = process.exitValue();
            reader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("Interrupted while starting the local services", e);
        }
        if (exit != 0) {
            throw new IllegalStateException(SCRIPT + " start failed with exit code " + exit
                    + "; output tail:\n" + join(tail));
        }
    }

    private static String join(Deque<String> tail) {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }

    /** Parses the KEY=VALUE lines of services.env. */
    static Endpoints parse(Path envFile) {
        List<String> lines;
        try {
            lines = Files.readAllLines(envFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + envFile, e);
        }
        Map<String, String> v = new HashMap<>();
        for (String line : lines) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#")) {
                v.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        try {
            return new Endpoints(required(v, "NOMAD_PG_HOST", envFile), Integer.parseInt(required(v, "NOMAD_PG_PORT", envFile)),
                    required(v, "NOMAD_PG_USER", envFile), required(v, "NOMAD_PG_PASSWORD", envFile),
                    required(v, "NOMAD_PG_DATABASE", envFile), required(v, "NOMAD_ES_URL", envFile));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Bad NOMAD_PG_PORT in " + envFile, e);
        }
    }

    private static String required(Map<String, String> v, String key, Path file) {
        String value = v.get(key);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException(key + " is missing or empty in " + file);
        }
        return value;
    }
}
