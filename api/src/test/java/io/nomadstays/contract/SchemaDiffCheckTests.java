package io.nomadstays.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import graphql.schema.diff.DiffCategory;
import graphql.schema.diff.DiffEvent;
import graphql.schema.diff.DiffLevel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The breaking-change check itself ({@link SchemaCompatibility}), on small inline schemas; no Spring. */
class SchemaDiffCheckTests {

    private static final String BASE = """
            type Query {
              property(id: ID!): Property
              properties(first: Int = 20, after: String): [Property!]!
            }
            type Property {
              id: ID!
              name: String!
              status: Status!
            }
            enum Status { DRAFT PUBLISHED }
            input PropertyInput { name: String! }
            type Mutation { createProperty(input: PropertyInput!): Property }
            """;

    private static final List<SchemaCompatibility.IntendedChange> NONE = List.of();

    @Test
    void anUnchangedSchemaPasses() {
        var result = SchemaCompatibility.check(BASE, BASE, NONE);

        assertThat(result.ok()).isTrue();
        assertThat(result.violations()).isEmpty();
    }

    @Test
    void aRemovedFieldIsBreakingAndFails() {
        String current = BASE.replace("  name: String!\n", "");

        var result = SchemaCompatibility.check(BASE, current, NONE);

        assertThat(result.ok()).isFalse();
        assertThat(result.violations()).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(DiffLevel.BREAKING);
            assertThat(e.getCategory()).isEqualTo(DiffCategory.MISSING);
            assertThat(SchemaCompatibility.pathOf(e)).isEqualTo("Property.name");
        });
        assertThat(result.report("the baseline"))
                .contains("BREAKING MISSING Property.name")
                .contains("BREAKING Property.name removed: <why, who agreed>");
    }

    @Test
    void anAddedOptionalFieldOrArgumentPasses() {
        String current = BASE
                .replace("  status: Status!\n", "  status: Status!\n  sizeM2: Float\n")
                .replace("property(id: ID!)", "property(id: ID!, locale: String)")
                .replace("input PropertyInput { name: String! }", "input PropertyInput { name: String! note: String }");

        var result = SchemaCompatibility.check(BASE, current, NONE);

        assertThat(result.ok()).as(result.report("the baseline")).isTrue();
        assertThat(result.additions()).extracting(SchemaCompatibility::pathOf).contains("Property.sizeM2");
    }

    @Test
    void aListedIntendedChangePasses() {
        String current = BASE.replace("  name: String!\n", "");
        var intended = SchemaCompatibility.parseIntendedChanges("""
                # a comment
                BREAKING Property.name removed: replaced by title, agreed with web and mobile, 2026-12-01
                """);

        var result = SchemaCompatibility.check(BASE, current, intended);

        assertThat(result.ok()).isTrue();
        assertThat(result.allowed()).extracting(SchemaCompatibility::pathOf).containsExactly("Property.name");
        assertThat(result.unused()).isEmpty();
    }

    @Test
    void anEntryOfAnotherLevelKindOrPathDoesNotAllowTheChange() {
        String current = BASE.replace("  name: String!\n", "");

        for (String entry : List.of(
                "DANGEROUS Property.name removed: wrong level, 2026-12-01",
                "BREAKING Property.name stricter: wrong kind, 2026-12-01",
                "BREAKING Property.names removed: wrong field, 2026-12-01",
                "BREAKING Propert removed: a prefix of the type name is not the type, 2026-12-01")) {
            var result = SchemaCompatibility.check(BASE, current, SchemaCompatibility.parseIntendedChanges(entry));

            assertThat(result.ok()).as(entry).isFalse();
            assertThat(result.unused()).as(entry).hasSize(1);
        }
    }

    @Test
    void aTypeEntryCoversEveryChangeInTheType() {
        String current = BASE.replace("  name: String!\n", "").replace("  id: ID!\n", "");

        var result = SchemaCompatibility.check(BASE, current,
                SchemaCompatibility.parseIntendedChanges("BREAKING Property: reworked in v2, 2026-12-01"));

        assertThat(result.ok()).isTrue();
        assertThat(result.allowed()).hasSize(2);
    }

    @Test
    void aChangedArgumentTypeFails() {
        String current = BASE.replace("property(id: ID!)", "property(id: String!)");

        var result = SchemaCompatibility.check(BASE, current, NONE);

        assertThat(result.ok()).isFalse();
        assertThat(result.violations()).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(DiffLevel.BREAKING);
            assertThat(e.getCategory()).isEqualTo(DiffCategory.INVALID);
            assertThat(SchemaCompatibility.pathOf(e)).isEqualTo("Query.property.id");
        });
    }

    @Test
    void anArgumentEntryAllowsOnlyThatArgument() {
        String current = BASE.replace("property(id: ID!)", "property(id: String!)");

        var right = SchemaCompatibility.check(BASE, current,
                SchemaCompatibility.parseIntendedChanges("BREAKING Query.property.id changed: ids became strings, 2026-12-01"));
        var wrong = SchemaCompatibility.check(BASE, current,
                SchemaCompatibility.parseIntendedChanges("BREAKING Query.property.slug changed: another argument, 2026-12-01"));

        assertThat(right.ok()).isTrue();
        assertThat(wrong.ok()).isFalse();
    }

    @Test
    void newRequiredArgumentsAndInputFieldsAndStricterArgumentsFail() {
        String current = BASE
                .replace("property(id: ID!)", "property(id: ID!, locale: String!)")
                .replace("properties(first: Int = 20", "properties(first: Int! = 20")
                .replace("input PropertyInput { name: String! }", "input PropertyInput { name: String! city: String! }");

        var result = SchemaCompatibility.check(BASE, current, NONE);

        assertThat(result.violations()).extracting(DiffEvent::getCategory).containsOnly(DiffCategory.STRICTER);
        assertThat(result.violations()).extracting(SchemaCompatibility::pathOf)
                .containsExactlyInAnyOrder("Query.property.locale", "Query.properties.first", "PropertyInput.city");
    }

    @Test
    void aNullableOutputFieldThatWasNonNullFails() {
        String current = BASE.replace("  name: String!\n", "  name: String\n");

        var result = SchemaCompatibility.check(BASE, current, NONE);

        assertThat(result.violations()).singleElement()
                .satisfies(e -> assertThat(e.getCategory()).isEqualTo(DiffCategory.STRICTER));
    }

    @Test
    void aRemovedTypeOrEnumValueFails() {
        String withoutEnumValue = BASE.replace("enum Status { DRAFT PUBLISHED }", "enum Status { PUBLISHED }");
        String withoutMutation = BASE.replace("type Mutation { createProperty(input: PropertyInput!): Property }", "");

        assertThat(SchemaCompatibility.check(BASE, withoutEnumValue, NONE).violations())
                .extracting(SchemaCompatibility::pathOf).containsExactly("Status.DRAFT");
        assertThat(SchemaCompatibility.check(BASE, withoutMutation, NONE).ok()).isFalse();
    }

    @Test
    void anAddedEnumValueIsDangerousAndFailsUnlessListed() {
        String current = BASE.replace("enum Status { DRAFT PUBLISHED }", "enum Status { DRAFT PUBLISHED ARCHIVED }");

        var unlisted = SchemaCompatibility.check(BASE, current, NONE);
        var listed = SchemaCompatibility.check(BASE, current,
                SchemaCompatibility.parseIntendedChanges("DANGEROUS Status.ARCHIVED added: archiving, clients show unknown statuses as-is, 2026-12-01"));

        assertThat(unlisted.violations()).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(DiffLevel.DANGEROUS);
            assertThat(SchemaCompatibility.pathOf(e)).isEqualTo("Status.ARCHIVED");
        });
        assertThat(unlisted.report("the baseline")).contains("DANGEROUS Status.ARCHIVED added:");
        assertThat(listed.ok()).isTrue();
    }

    @Test
    void aChangedDefaultValueIsDangerous() {
        String current = BASE.replace("first: Int = 20", "first: Int = 50");

        var result = SchemaCompatibility.check(BASE, current, NONE);

        assertThat(result.violations()).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(DiffLevel.DANGEROUS);
            assertThat(SchemaCompatibility.pathOf(e)).isEqualTo("Query.properties.first");
        });
    }

    @Test
    void malformedEntriesAreRefusedWithTheirLineNumbers() {
        assertThatThrownBy(() -> SchemaCompatibility.parseIntendedChanges("""
                # header
                BREAKING Query.foo removed
                INFO Query.foo: not a level that needs an entry
                BREAKING Query.foo vanished: unknown kind
                BREAKING Query.foo removed: fine, 2026-12-01
                """))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("line 3")
                .hasMessageContaining("line 4")
                .hasMessageNotContaining("line 5");
    }

    @Test
    void entriesMayNameACategoryInsteadOfAKindWord() {
        var entries = SchemaCompatibility.parseIntendedChanges("BREAKING Query.foo MISSING: removed, 2026-12-01\n"
                + "DANGEROUS Query.bar: any dangerous change of bar, 2026-12-01");

        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).categories()).containsExactly(DiffCategory.MISSING);
        assertThat(entries.get(1).categories()).isNull();
    }
}
