package io.nomadstays.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which snapshot the breaking-change check compares with ({@link SchemaBaseline}), in a throwaway git repository. */
class SchemaBaselineTests {

    @TempDir
    Path repo;

    @BeforeEach
    void needsGit() throws Exception {
        boolean gitWorks;
        try {
            gitWorks = new ProcessBuilder("git", "--version").start().waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            gitWorks = false;
        }
        Assumptions.assumeTrue(gitWorks, "git is not installed");
    }

    @Test
    void withoutGitThereIsNoBaseline() {
        assertThat(new SchemaBaseline(repo).resolve(null))
                .isInstanceOfSatisfying(SchemaBaseline.Missing.class, m -> assertThat(m.reason()).contains("no .git"));
    }

    @Test
    void beforeTheFirstCommitThereIsNoBaseline() throws Exception {
        git("init", "-q", "-b", "main");
        snapshot("type Query { a: Int }");

        assertThat(new SchemaBaseline(repo).resolve(null))
                .isInstanceOfSatisfying(SchemaBaseline.Missing.class, m -> assertThat(m.reason()).contains("no commit"));
    }

    @Test
    void aSnapshotMissingAtTheRefMeansNoBaseline() throws Exception {
        git("init", "-q", "-b", "main");
        Files.writeString(repo.resolve("README.md"), "hello");
        commit("first");

        assertThat(new SchemaBaseline(repo).resolve(null))
                .isInstanceOfSatisfying(SchemaBaseline.Missing.class, m -> assertThat(m.reason()).contains("is not committed"));
    }

    @Test
    void onMainTheBaselineIsHeadSoUncommittedEditsAreChecked() throws Exception {
        git("init", "-q", "-b", "main");
        snapshot("type Query { a: Int }");
        commit("schema");
        snapshot("type Query { b: Int }"); // uncommitted

        assertThat(new SchemaBaseline(repo).resolve(null)).isInstanceOfSatisfying(SchemaBaseline.Found.class, f -> {
            assertThat(f.sdl()).isEqualTo("type Query { a: Int }");
            assertThat(f.description()).contains("HEAD of main");
        });
    }

    @Test
    void onABranchTheBaselineIsTheMergeBaseWithMain() throws Exception {
        git("init", "-q", "-b", "main");
        snapshot("type Query { a: Int }");
        commit("v1");
        git("checkout", "-q", "-b", "feature");
        snapshot("type Query { b: Int }");
        commit("feature change");
        git("checkout", "-q", "main");
        snapshot("type Query { a: Int c: Int }");
        commit("main moved on");
        git("checkout", "-q", "feature");

        assertThat(new SchemaBaseline(repo).resolve(null)).isInstanceOfSatisfying(SchemaBaseline.Found.class, f -> {
            assertThat(f.sdl()).isEqualTo("type Query { a: Int }");
            assertThat(f.description()).contains("merge base of HEAD and main");
        });
    }

    @Test
    void onABranchWithoutMainThereIsNoBaselineUnlessARefIsGiven() throws Exception {
        git("init", "-q", "-b", "trunk");
        snapshot("type Query { a: Int }");
        commit("v1");
        git("tag", "v1");
        snapshot("type Query { b: Int }");
        commit("v2");

        assertThat(new SchemaBaseline(repo).resolve(null))
                .isInstanceOfSatisfying(SchemaBaseline.Missing.class, m -> assertThat(m.reason()).contains("schema.baseline.ref"));
        assertThat(new SchemaBaseline(repo).resolve("v1"))
                .isInstanceOfSatisfying(SchemaBaseline.Found.class, f -> assertThat(f.sdl()).isEqualTo("type Query { a: Int }"));
        assertThatThrownBy(() -> new SchemaBaseline(repo).resolve("no-such-ref"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no-such-ref");
    }

    private void snapshot(String sdl) throws IOException {
        Path file = repo.resolve(ContractSchema.SNAPSHOT);
        Files.createDirectories(file.getParent());
        Files.writeString(file, sdl);
    }

    private void commit(String message) throws Exception {
        git("add", "-A");
        git("-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", "commit", "-q", "-m", message);
    }

    private void git(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", repo.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("git %s: %s", String.join(" ", args), output).isZero();
    }
}
