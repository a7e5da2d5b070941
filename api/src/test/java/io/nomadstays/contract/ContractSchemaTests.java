package io.nomadstays.contract;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.schema.diff.DiffLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The snapshot helpers, and the committed files they read; no Spring. */
class ContractSchemaTests {

    @Test
    void theCommittedSnapshotCanBeDiffedAndABreakingEditOfItIsCaught() {
        Path snapshot = ContractSchema.repositoryRoot().resolve(ContractSchema.SNAPSHOT);
        assertThat(snapshot).exists();
        String sdl = ContractSchema.read(snapshot);
        String withoutStayId = sdl.replaceFirst("\n  stayId: ID!\n", "\n");
        assertThat(withoutStayId).isNotEqualTo(sdl);

        assertThat(SchemaCompatibility.check(sdl, sdl, List.of()).ok()).isTrue();
        assertThat(SchemaCompatibility.check(sdl, withoutStayId, List.of()).violations()).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(DiffLevel.BREAKING);
            assertThat(SchemaCompatibility.pathOf(e)).isEqualTo("Unit.stayId");
        });
    }

    @Test
    void theCommittedIntendedChangesParse() {
        Path file = ContractSchema.repositoryRoot().resolve(ContractSchema.INTENDED_CHANGES);
        assertThat(file).exists();

        SchemaCompatibility.parseIntendedChanges(ContractSchema.read(file));
    }

    @Test
    void theRepositoryRootHasTheSchemaModule() {
        assertThat(Files.isDirectory(ContractSchema.repositoryRoot().resolve("schema/src/main/resources/graphql"))).isTrue();
    }

    @Test
    void normalizeUsesLfAndOneFinalNewline() {
        assertThat(ContractSchema.normalize("type A {\r\n  a: Int\r\n}\r\n\r\n")).isEqualTo("type A {\n  a: Int\n}\n");
    }

    @Test
    void theLineDiffShowsChangedLinesWithContextAndLineNumbers() {
        String before = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n";
        String after = "a\nb\nc\nD\ne\nf\ng\nh\ni\nj\nk\nl\nm\n";

        String diff = ContractSchema.lineDiff(before, after, 80);

        assertThat(diff).contains("-    4 | d").contains("+    4 | D").contains("+   13 | m").contains("  ...\n");
        assertThat(diff).doesNotContain("| a\n");
    }
}
