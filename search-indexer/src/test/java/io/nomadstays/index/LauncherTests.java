package io.nomadstays.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/search-indexer: the JVM options it chooses per command (docs/adr/0014), in dry runs. */
class LauncherTests {

    private static final Path LAUNCHER = Path.of("bin", "search-indexer");

    @TempDir
    Path dir;

    private record Run(int exit, String output) {
    }

    private Run launch(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return launch(env, LAUNCHER, args);
    }

    private Run launch(Map<String, String> env, Path launcher, String... args) throws IOException, InterruptedException {
        Path jar = Files.writeString(dir.resolve("search-indexer.jar"), "not run");
        List<String> command = new ArrayList<>(List.of("bash", launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("NOMAD_INDEXER_JAVA_OPTS");
        pb.environment().put("NOMAD_INDEXER_JAR", jar.toString());
        pb.environment().put("NOMAD_INDEXER_DRY_RUN", "1");
        pb.environment().put("JAVA_HOME", "/opt/jdk");
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), output);
    }

    @Test
    void aReindexRunsWithC1AndTheSerialCollectorOtherCommandsWithTheJvmDefaults() throws Exception {
        String jar = dir.resolve("search-indexer.jar").toString();
        assertThat(launch(Map.of(), "reindex", "--fresh").output())
                .isEqualTo("/opt/jdk/bin/java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar " + jar + " reindex --fresh");
        assertThat(launch(Map.of(), "check", "--repair").output())
                .isEqualTo("/opt/jdk/bin/java -jar " + jar + " check --repair");
        assertThat(launch(Map.of(), "run").output()).isEqualTo("/opt/jdk/bin/java -jar " + jar + " run");
        assertThat(launch(Map.of()).output()).as("no command is run").isEqualTo("/opt/jdk/bin/java -jar " + jar);
    }

    @Test
    void optionsFromTheEnvironmentReplaceTheDefaultsEvenWhenEmpty() throws Exception {
        String jar = dir.resolve("search-indexer.jar").toString();
        assertThat(launch(Map.of("NOMAD_INDEXER_JAVA_OPTS", "-Xmx2g -XX:+UseG1GC"), "reindex").output())
                .isEqualTo("/opt/jdk/bin/java -Xmx2g -XX:+UseG1GC -jar " + jar + " reindex");
        assertThat(launch(Map.of("NOMAD_INDEXER_JAVA_OPTS", ""), "reindex").output())
                .isEqualTo("/opt/jdk/bin/java -jar " + jar + " reindex");
    }

    @Test
    void withoutAJarSetItTakesTheBuiltOneBesideItAndOtherwiseSaysHowToBuildIt() throws Exception {
        Path home = dir.resolve("search-indexer");
        Files.createDirectories(home.resolve("bin"));
        Path launcher = Files.copy(LAUNCHER, home.resolve("bin").resolve("search-indexer"));
        Map<String, String> noJar = Map.of("NOMAD_INDEXER_JAR", "");

        Run missing = launch(noJar, launcher, "reindex");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.output()).contains("no jar").contains("./mvnw -pl search-indexer -am package");

        Files.createDirectories(home.resolve("target"));
        Files.writeString(home.resolve("target").resolve("search-indexer.jar"), "built");
        Run built = launch(noJar, launcher, "reindex");
        assertThat(built.exit()).isZero();
        assertThat(built.output()).endsWith("/search-indexer/bin/../target/search-indexer.jar reindex");
    }
}
