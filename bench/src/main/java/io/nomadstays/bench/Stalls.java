package io.nomadstays.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * What the API and PostgreSQL were doing when a request got no answer in time, written beside the
 * run's logs: a stall the API does not log (a lock wait, a pool with no connection left, a blocked
 * event loop) can then be explained after the run instead of guessed at.
 */
final class Stalls {

    private static final String SESSIONS = """
            SELECT pid, application_name, state, wait_event_type, wait_event,
                   round(extract(epoch FROM now() - xact_start)::numeric, 1) AS transaction_s, left(query, 300) AS query
              FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()
             ORDER BY xact_start NULLS LAST""";

    private Stalls() {
    }

    /**
     * Writes {@code stall-<label>-<millis>.txt} into {@code out}: PostgreSQL's sessions in the
     * application's database and, when {@code apiPid} is known, the API's threads. Each part that
     * cannot be had says why; the file is always written.
     */
    static Path record(Path out, String label, Env env, long apiPid) throws IOException {
        StringBuilder text = new StringBuilder("# Stall: " + label + " at " + Instant.now() + "\n\n## PostgreSQL sessions\n\n");
        try (Connection c = env.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(SESSIONS)) {
            int columns = rs.getMetaData().getColumnCount();
            for (int i = 1; i <= columns; i++) {
                text.append(i > 1 ? "\t" : "").append(rs.getMetaData().getColumnLabel(i));
            }
            text.append('\n');
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    String value = rs.getString(i);
                    text.append(i > 1 ? "\t" : "").append(value == null ? "" : value.replace('\n', ' '));
                }
                text.append('\n');
            }
        } catch (SQLException e) {
            text.append("(not available: ").append(e.getMessage()).append(")\n");
        }
        text.append("\n## API threads (jcmd ").append(apiPid).append(" Thread.print)\n\n").append(threads(apiPid));
        Files.createDirectories(out);
        Path file = out.resolve("stall-" + label + "-" + System.currentTimeMillis() + ".txt");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    /** The JVM's thread dump by the jcmd beside this JVM's java, or why there is none. */
    private static String threads(long pid) {
        if (pid <= 0) {
            return "(not available: the API's pid is not known; pass --api-pid)\n";
        }
        Path jcmd = ProcessHandle.current().info().command().map(java -> Path.of(java).resolveSibling("jcmd"))
                .filter(Files::isExecutable).orElse(Path.of("jcmd"));
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
            byte[] dump = p.getInputStream().readAllBytes();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "(not available: jcmd did not finish in 20 s)\n";
            }
            return new String(dump, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(not available: " + e.getMessage() + ")\n";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(not available: interrupted)\n";
        }
    }
}
