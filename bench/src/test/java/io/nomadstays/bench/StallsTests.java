package io.nomadstays.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A request that got no answer leaves a record of what the API's JVM was doing, even when PostgreSQL cannot say. */
class StallsTests {

    @Test
    void recordsTheThreadsOfTheJvmAndSaysWhyPostgresqlIsMissing(@TempDir Path out) throws Exception {
        Env unreachable = Env.of(java.util.Map.of("NOMAD_PG_HOST", "127.0.0.1", "NOMAD_PG_PORT", "1"));

        Path file = Stalls.record(out, "probe", unreachable, ProcessHandle.current().pid());

        String text = Files.readString(file);
        assertThat(file.getFileName().toString()).startsWith("stall-probe-").endsWith(".txt");
        assertThat(text).contains("## PostgreSQL sessions").contains("(not available: ");
        // This JVM's own dump: its main thread is running this test.
        assertThat(text).contains("\"main\"").contains("StallsTests");
    }

    @Test
    void withoutThePidItSaysHowToGiveIt(@TempDir Path out) throws Exception {
        Path file = Stalls.record(out, "probe", Env.of(java.util.Map.of("NOMAD_PG_PORT", "1")), -1);

        assertThat(Files.readString(file)).contains("pass --api-pid").doesNotContain("\"main\"");
    }
}
