package io.nomadstays.contract;

import static org.assertj.core.api.Assertions.fail;

import io.nomadstays.support.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.execution.GraphQlSource;

/**
 * Fails on every BREAKING or DANGEROUS change (graphql-java's {@code SchemaDiff}) of the served
 * schema against the snapshot on main ({@link SchemaBaseline}) that is not recorded in
 * {@code schema/intended-changes.txt} (format: {@link SchemaCompatibility}).
 */
class SchemaCompatibilityTests extends IntegrationTest {

    @Autowired
    GraphQlSource graphQlSource;

    @Test
    void theServedSchemaMakesNoUnannouncedBreakingChange() {
        Path root = ContractSchema.repositoryRoot();
        List<SchemaCompatibility.IntendedChange> intended = intendedChanges(root);
        SchemaBaseline.Outcome outcome = new SchemaBaseline(root).resolve(System.getProperty(ContractSchema.BASELINE_REF_PROPERTY));
        if (outcome instanceof SchemaBaseline.Missing missing) {
            // The one allowed skip: nothing on main to be compatible with (first commit, no git).
            Assumptions.abort("No baseline for the breaking-change check: " + missing.reason());
        }
        SchemaBaseline.Found baseline = (SchemaBaseline.Found) outcome;

        String served = ContractSchema.print(graphQlSource.schema());
        SchemaCompatibility.Result result = SchemaCompatibility.check(baseline.sdl(), served, intended);

        if (!result.ok()) {
            fail(result.report(baseline.description()));
        }
        String notes = result.report(baseline.description());
        System.out.println("[schema] Compatible with " + baseline.description() + "; "
                + result.additions().size() + " addition(s)." + (notes.isEmpty() ? "" : "\n" + notes));
    }

    private static List<SchemaCompatibility.IntendedChange> intendedChanges(Path root) {
        Path file = root.resolve(ContractSchema.INTENDED_CHANGES);
        return Files.exists(file) ? SchemaCompatibility.parseIntendedChanges(ContractSchema.read(file)) : List.of();
    }
}
